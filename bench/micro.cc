// brightoffice-bench-micro: the client's own cost per call, in memory, without a socket
// (Google Benchmark). gSOAP's transport callbacks (fopen/fsend/frecv/fclose/fpoll) are replaced
// by an in-memory exchange: the request is serialized into a counter, the canned ASMX reply is
// parsed from a string.
//
//   BM_RawProxy_Call        the generated proxy as a user would drive it (build request,
//                           serialize, parse, read SuccessCode, destroy)
//   BM_Facade_Call          the facade's call path, step by step as
//                           src/lib/gsoap_connection.cc's GsoapConnection::ConfirmCustomerUserMfa
//                           does it (validation, redactor, RequestHolder, hooked transport with
//                           its clock reads, FromWire, cleansing the buffers, pool lock), minus
//                           the system calls a socket needs; its private class cannot take an
//                           in-memory transport, so this rebuilds it from the same internal
//                           pieces (src/lib/internal/*.h)
//   BM_Facade_Call_Proposed the same with the two changes proposed in bench/README.md
//   BM_RawProxy_Serialize / BM_RawProxy_Parse, BM_Facade_* pieces, BM_Syscall_*: where the
//                           time goes
// Every benchmark reports allocs_per_call and alloc_bytes_per_call (malloc/calloc/realloc of
// the whole process, see alloc_counter.cc).

#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <mutex>
#include <vector>

#include "alloc_counter.h"
#include "brightoffice/client.h"
#include "brightoffice_gsoapBrightOfficeAPISoapProxy.h"
#include "canned_reply.h"
#include "clients.h"
#include "internal/adapter.h"
#include "internal/gsoap_connection.h"
#include "internal/text.h"

namespace {

using namespace brightoffice;
using Clock = std::chrono::steady_clock;
using Proxy = ::brightoffice_gsoap::BrightOfficeAPISoapProxy;
namespace gs = ::brightoffice_gsoap;
using bench::CurrentAllocs;

// --- in-memory transport ------------------------------------------------------------------------
struct MemoryIo {
  std::string reply = bench::CannedHttpReply();
  size_t pos = 0;
  size_t sent = 0;
  int fd = ::open("/dev/null", O_RDONLY);  // a valid descriptor gSOAP can hold as "the socket"
  void Rewind() {
    pos = 0;
    sent = 0;
  }
};

MemoryIo& Io(struct soap* soap);

struct Hooks {
  static SOAP_SOCKET Open(struct soap* soap, const char*, const char*, int) { return Io(soap).fd; }
  static int Close(struct soap*) { return SOAP_OK; }
  static int Poll(struct soap*) { return SOAP_OK; }
  static int Send(struct soap* soap, const char*, size_t n) {
    Io(soap).sent += n;
    return SOAP_OK;
  }
  static size_t Recv(struct soap* soap, char* data, size_t n) {
    MemoryIo& io = Io(soap);
    const size_t k = std::min(n, io.reply.size() - io.pos);
    std::memcpy(data, io.reply.data() + io.pos, k);
    io.pos += k;
    return k;
  }
};

// soap->user belongs to whoever drives the context; keep the MemoryIo beside it.
struct Ctx {
  MemoryIo io;
  void* facade_state = nullptr;
};
MemoryIo& Io(struct soap* soap) { return static_cast<Ctx*>(soap->user)->io; }

void InstallMemoryTransport(struct soap* soap, Ctx* ctx) {
  soap->user = ctx;
  soap->fopen = Hooks::Open;
  soap->fclose = Hooks::Close;
  soap->fpoll = Hooks::Poll;
  soap->fsend = Hooks::Send;
  soap->frecv = Hooks::Recv;
}

const char kEndpoint[] = "http://127.0.0.1:8080/Webservices/BrightOfficeAPI.asmx";

struct AllocScope {
  benchmark::State& state;
  bench::AllocCounts start = CurrentAllocs();
  explicit AllocScope(benchmark::State& s) : state(s) {}
  ~AllocScope() {
    const auto end = CurrentAllocs();
    const double n = static_cast<double>(state.iterations());
    state.counters["allocs_per_call"] = static_cast<double>(end.calls - start.calls) / n;
    state.counters["alloc_bytes_per_call"] = static_cast<double>(end.bytes - start.bytes) / n;
  }
};

// --- the raw generated proxy --------------------------------------------------------------------
// free_temp=false: free the call's data with soap_destroy + soap_dealloc(soap, NULL) instead of
// destroy() (= soap_destroy + soap_end): soap_end also runs soap_free_temp, which clears gSOAP's
// hash tables, and the next call's soap_begin runs it again anyway.
bool RawCall(Proxy& proxy, bool free_temp = true) {
  std::string email = bench::kEmail, code = bench::kMfaCode, user = bench::kApiUser,
              password = bench::kApiPassword;
  gs::tempuri__CustomerInfo customer;
  customer.Id = "00000000-0000-0000-0000-000000000000";
  customer.Email = &email;
  customer.MFACode = &code;
  gs::tempuri__UserInfo user_info;
  user_info.Username = &user;
  user_info.Password = &password;
  gs::_tempuri__ConfirmCustomerUserMFA request;
  request.CustomerInfo = &customer;
  request.UserInfo = &user_info;
  gs::_tempuri__ConfirmCustomerUserMFAResponse response;
  const bool ok = proxy.ConfirmCustomerUserMFA(kEndpoint, nullptr, &request, response) == SOAP_OK &&
                  response.ConfirmCustomerUserMFAResult != nullptr &&
                  response.ConfirmCustomerUserMFAResult->SuccessCode == "SUCCESS";
  if (free_temp) {
    proxy.destroy();
  } else {
    soap_destroy(proxy.soap);
    soap_dealloc(proxy.soap, nullptr);
  }
  return ok;
}

void RawProxyCall(benchmark::State& state, soap_mode extra, bool free_temp = true) {
  Proxy proxy(SOAP_C_UTFSTRING | SOAP_IO_KEEPALIVE | extra);
  soap_set_namespaces(proxy.soap, bench::Soap11Namespaces(proxy.soap->namespaces));
  Ctx ctx;
  InstallMemoryTransport(proxy.soap, &ctx);
  ctx.io.Rewind();
  if (!RawCall(proxy)) state.SkipWithError("raw proxy call failed");
  AllocScope allocs(state);
  for (auto _ : state) {
    ctx.io.Rewind();
    benchmark::DoNotOptimize(RawCall(proxy, free_temp));
  }
}
void BM_RawProxy_Call(benchmark::State& state) { RawProxyCall(state, 0); }
BENCHMARK(BM_RawProxy_Call);
// gSOAP modes that skip runtime work this message does not need: SOAP_XML_TREE (no id/href
// multi-reference handling), SOAP_XML_NOTYPE (no xsi:type attributes).
void BM_RawProxy_Call_DeallocOnly(benchmark::State& state) { RawProxyCall(state, 0, false); }
BENCHMARK(BM_RawProxy_Call_DeallocOnly);
void BM_RawProxy_Call_XmlTree(benchmark::State& state) { RawProxyCall(state, SOAP_XML_TREE); }
BENCHMARK(BM_RawProxy_Call_XmlTree);
void BM_RawProxy_Call_XmlTreeNoType(benchmark::State& state) { RawProxyCall(state, SOAP_XML_TREE | SOAP_XML_NOTYPE); }
BENCHMARK(BM_RawProxy_Call_XmlTreeNoType);

void BM_RawProxy_Serialize(benchmark::State& state) {
  Proxy proxy(SOAP_C_UTFSTRING | SOAP_IO_KEEPALIVE);
  soap_set_namespaces(proxy.soap, bench::Soap11Namespaces(proxy.soap->namespaces));
  Ctx ctx;
  InstallMemoryTransport(proxy.soap, &ctx);
  std::string email = bench::kEmail, code = bench::kMfaCode, user = bench::kApiUser,
              password = bench::kApiPassword;
  gs::tempuri__CustomerInfo customer;
  customer.Id = "00000000-0000-0000-0000-000000000000";
  customer.Email = &email;
  customer.MFACode = &code;
  gs::tempuri__UserInfo user_info;
  user_info.Username = &user;
  user_info.Password = &password;
  gs::_tempuri__ConfirmCustomerUserMFA request;
  request.CustomerInfo = &customer;
  request.UserInfo = &user_info;
  AllocScope allocs(state);
  for (auto _ : state) {
    ctx.io.Rewind();
    benchmark::DoNotOptimize(proxy.send_ConfirmCustomerUserMFA(kEndpoint, nullptr, &request));
    proxy.destroy();
  }
  state.counters["request_bytes"] = static_cast<double>(ctx.io.sent);
}
BENCHMARK(BM_RawProxy_Serialize);

void BM_RawProxy_Parse(benchmark::State& state) {
  Proxy proxy(SOAP_C_UTFSTRING | SOAP_IO_KEEPALIVE);
  soap_set_namespaces(proxy.soap, bench::Soap11Namespaces(proxy.soap->namespaces));
  Ctx ctx;
  InstallMemoryTransport(proxy.soap, &ctx);
  ctx.io.Rewind();
  RawCall(proxy);  // connects (in memory) and settles the context
  AllocScope allocs(state);
  for (auto _ : state) {
    ctx.io.Rewind();
    gs::_tempuri__ConfirmCustomerUserMFAResponse response;
    benchmark::DoNotOptimize(proxy.recv_ConfirmCustomerUserMFA(response));
    proxy.destroy();
  }
}
BENCHMARK(BM_RawProxy_Parse);

// --- the facade's call path, rebuilt from its internal pieces ----------------------------------------
// Mirrors PooledContext/GsoapConnection in src/lib/gsoap_connection.cc (same hooks, same order of
// work). `proposed` applies the in-memory parts of bench/proposed/gsoap_connection.patch: the
// Redactor is built only when a call failed, only the bytes of soap->buf this call used are
// cleansed, and the call's data is freed with soap_destroy + soap_dealloc instead of destroy().
struct FacadeState {
  Proxy proxy{SOAP_C_UTFSTRING | SOAP_IO_KEEPALIVE};
  Ctx ctx;
  Options options;
  ApiCredentials credentials{bench::kApiUser, Secret(bench::kApiPassword)};
  std::string user_agent = "brightoffice-cpp/" + std::string(Version());
  SOAP_SOCKET (*open)(struct soap*, const char*, const char*, int) = nullptr;
  int (*send)(struct soap*, const char*, size_t) = nullptr;
  size_t (*recv)(struct soap*, char*, size_t) = nullptr;
  int (*post_header)(struct soap*, const char*, const char*) = nullptr;
  Clock::time_point deadline;
  internal::CallTrace trace;
  size_t buf_high_water = 0;
  std::mutex mu;
  std::vector<FacadeState*> idle;

  static FacadeState* Of(struct soap* soap) { return static_cast<FacadeState*>(static_cast<Ctx*>(soap->user)->facade_state); }
  std::chrono::microseconds Remaining() const {
    return std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now());
  }
  template <typename F, typename Failed>
  auto Timed(int& field, std::chrono::milliseconds limit, bool& flag, F io, Failed failed) {
    const auto remaining = Remaining();
    const auto budget = std::min<std::chrono::microseconds>(limit, remaining);
    field = -static_cast<int>(budget.count());
    const auto start = Clock::now();
    auto result = io();
    if (failed(result) && Clock::now() - start + std::chrono::milliseconds(1) >= budget) {
      (budget >= remaining ? trace.deadline_expired : flag) = true;
    }
    return result;
  }
  static SOAP_SOCKET Open(struct soap* soap, const char* e, const char* h, int p) {
    FacadeState* c = Of(soap);
    soap->send_timeout = soap->recv_timeout = -static_cast<int>(
        std::min<std::chrono::microseconds>(c->options.io_timeout, c->Remaining()).count());
    return c->Timed(soap->connect_timeout, c->options.connect_timeout, c->trace.connect_timed_out,
                    [&] { return c->open(soap, e, h, p); }, [](SOAP_SOCKET s) { return !soap_valid_socket(s); });
  }
  static int Send(struct soap* soap, const char* data, size_t n) {
    FacadeState* c = Of(soap);
    if (c->Remaining().count() <= 0) return SOAP_EOF;
    c->trace.request_may_be_sent = true;
    if (data >= soap->buf && data < soap->buf + sizeof soap->buf) {
      c->buf_high_water = std::max(c->buf_high_water, static_cast<size_t>(data - soap->buf) + n);
    }
    return c->Timed(soap->send_timeout, c->options.io_timeout, c->trace.io_timed_out,
                    [&] { return c->send(soap, data, n); }, [](int r) { return r != SOAP_OK; });
  }
  static size_t Recv(struct soap* soap, char* data, size_t n) {
    FacadeState* c = Of(soap);
    if (c->Remaining().count() <= 0) return 0;
    const size_t r = c->Timed(soap->recv_timeout, c->options.io_timeout, c->trace.io_timed_out,
                              [&] { return c->recv(soap, data, n); }, [](size_t got) { return got == 0; });
    c->trace.bytes_received += r;
    if (data >= soap->buf && data < soap->buf + sizeof soap->buf) {
      c->buf_high_water = std::max(c->buf_high_water, static_cast<size_t>(data - soap->buf) + r);
    }
    return r;
  }
  static int PostHeader(struct soap* soap, const char* key, const char* value) {
    FacadeState* c = Of(soap);
    if (key != nullptr && std::strcmp(key, "User-Agent") == 0) value = c->user_agent.c_str();
    if (key != nullptr && std::strcmp(key, "SOAPAction") == 0 && soap->version == 2) return SOAP_OK;
    return c->post_header(soap, key, value);
  }

  FacadeState() {
    options.endpoint = kEndpoint;
    struct soap* soap = proxy.soap;
    soap_set_namespaces(soap, bench::Soap11Namespaces(soap->namespaces));
    InstallMemoryTransport(soap, &ctx);
    ctx.facade_state = this;
    open = soap->fopen;
    send = soap->fsend;
    recv = soap->frecv;
    post_header = soap->fposthdr;
    soap->fopen = Open;
    soap->fsend = Send;
    soap->frecv = Recv;
    soap->fposthdr = PostHeader;
    soap->recv_maxlength = options.max_response_bytes;
    idle.push_back(this);
  }

  Status Validate(const CustomerInfo& customer) const {
    if (customer.email) {
      if (Status s = internal::ValidateXmlText("CustomerInfo.Email", *customer.email); !s.ok()) return s;
    }
    const std::pair<const char*, const std::optional<Secret>*> secrets[] = {
        {"CustomerInfo.Password", &customer.password},
        {"CustomerInfo.MFACode", &customer.mfa_code},
        {"CustomerInfo.TemporaryPassword", &customer.temporary_password},
        {"CustomerInfo.NewPassword", &customer.new_password}};
    for (const auto& [field, value] : secrets) {
      if (*value) {
        if (Status s = internal::ValidateXmlText(field, (*value)->Reveal()); !s.ok()) return s;
      }
    }
    return Status();
  }

  internal::Redactor MakeRedactor(const CustomerInfo& customer) const {
    internal::Redactor redactor;
    redactor.Add(credentials.password.Reveal());
    for (const auto* secret : {&customer.password, &customer.mfa_code, &customer.temporary_password,
                               &customer.new_password}) {
      if (*secret) redactor.Add((*secret)->Reveal());
    }
    return redactor;
  }

  StatusOr<ServiceResult> Call(const CustomerInfo& customer, bool proposed) {
    if (Status s = Validate(customer); !s.ok()) return s;
    FacadeState* c;
    {
      std::lock_guard<std::mutex> lock(mu);  // Acquire()
      c = idle.back();
      idle.pop_back();
    }
    struct soap* soap = c->proxy.soap;
    std::optional<internal::Redactor> redactor;
    if (!proposed) redactor = MakeRedactor(customer);
    c->trace = internal::CallTrace{};
    c->trace.deadline = options.deadline;
    c->trace.max_response_bytes = options.max_response_bytes;
    c->deadline = Clock::now() + options.deadline;
    c->buf_high_water = 0;
    StatusOr<ServiceResult> out = Status(ErrorKind::kMalformedResponse, "no response");
    {
      internal::RequestHolder request(customer, credentials);
      internal::wire::Response response;
      const int rc = c->proxy.ConfirmCustomerUserMFA(options.endpoint.c_str(), nullptr, request.get(), response);
      if (rc == SOAP_OK) {
        out = internal::FromWire(response);
      } else {
        if (!redactor) redactor = MakeRedactor(customer);
        out = internal::MapGsoapError(soap, c->trace, *redactor);
      }
      if (proposed) {
        soap_destroy(soap);
        soap_dealloc(soap, nullptr);
      } else {
        c->proxy.destroy();
      }
    }
    if (proposed) {
      OPENSSL_cleanse(soap->buf, std::min(sizeof soap->buf, c->buf_high_water));
    } else {
      OPENSSL_cleanse(soap->buf, sizeof soap->buf);
    }
    OPENSSL_cleanse(soap->msgbuf, sizeof soap->msgbuf);
    {
      std::lock_guard<std::mutex> lock(mu);  // Release()
      idle.push_back(c);
    }
    return out;
  }
};

CustomerInfo BenchCustomer() {
  CustomerInfo customer;
  customer.email = bench::kEmail;
  customer.mfa_code = Secret(bench::kMfaCode);
  return customer;
}

void FacadeCall(benchmark::State& state, bool proposed) {
  FacadeState facade;
  const CustomerInfo customer = BenchCustomer();
  facade.ctx.io.Rewind();
  auto first = facade.Call(customer, proposed);
  if (!first.ok() || !first->succeeded()) {
    state.SkipWithError(("facade call failed: " + first.status().ToString()).c_str());
    return;
  }
  AllocScope allocs(state);
  for (auto _ : state) {
    facade.ctx.io.Rewind();
    auto r = facade.Call(customer, proposed);
    benchmark::DoNotOptimize(r);
  }
}
void BM_Facade_Call(benchmark::State& state) { FacadeCall(state, false); }
void BM_Facade_Call_Proposed(benchmark::State& state) { FacadeCall(state, true); }
BENCHMARK(BM_Facade_Call);
BENCHMARK(BM_Facade_Call_Proposed);

// --- pieces of the facade's own work ---------------------------------------------------------------
void BM_Facade_RequestHolder(benchmark::State& state) {
  const CustomerInfo customer = BenchCustomer();
  const ApiCredentials credentials{bench::kApiUser, Secret(bench::kApiPassword)};
  AllocScope allocs(state);
  for (auto _ : state) {
    internal::RequestHolder request(customer, credentials);
    benchmark::DoNotOptimize(request.get());
  }
}
BENCHMARK(BM_Facade_RequestHolder);

void BM_Facade_FromWire(benchmark::State& state) {
  std::string message = "MFA confirmed for jane@example.com (00000000-0000-0000-0000-000000000000) newpw=no tmppw=no";
  std::string empty;
  internal::wire::Result result;
  result.SuccessCode = "SUCCESS";
  result.Message = &message;
  result.ExceptionMessage = &empty;
  result.IsSystemError = false;
  internal::wire::Response response;
  response.ConfirmCustomerUserMFAResult = &result;
  AllocScope allocs(state);
  for (auto _ : state) benchmark::DoNotOptimize(internal::FromWire(response));
}
BENCHMARK(BM_Facade_FromWire);

void BM_Facade_ValidateAndRedactor(benchmark::State& state) {
  FacadeState facade;
  const CustomerInfo customer = BenchCustomer();
  AllocScope allocs(state);
  for (auto _ : state) {
    benchmark::DoNotOptimize(facade.Validate(customer));
    benchmark::DoNotOptimize(facade.MakeRedactor(customer));
  }
}
BENCHMARK(BM_Facade_ValidateAndRedactor);

void BM_Facade_Cleanse64K(benchmark::State& state) {
  static char buf[SOAP_BUFLEN];
  for (auto _ : state) {
    OPENSSL_cleanse(buf, sizeof buf);
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_Facade_Cleanse64K);

void BM_Facade_Cleanse1K(benchmark::State& state) {
  static char buf[1024];
  for (auto _ : state) {
    OPENSSL_cleanse(buf, sizeof buf);
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_Facade_Cleanse1K);

// --- what the socket path adds per call (not in the in-memory figures above) ---------------------
// The facade sets send/recv timeouts (gSOAP then polls before every send and receive) and polls
// an idle pooled connection before reusing it: each is one system call.
void BM_Syscall_Poll(benchmark::State& state) {
  int sv[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  for (auto _ : state) {
    pollfd p{sv[0], POLLIN, 0};
    benchmark::DoNotOptimize(::poll(&p, 1, 0));
  }
  ::close(sv[0]);
  ::close(sv[1]);
}
BENCHMARK(BM_Syscall_Poll);

void BM_ClockNow(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(Clock::now());
}
BENCHMARK(BM_ClockNow);

}  // namespace

BENCHMARK_MAIN();
