// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// brightoffice-bench-micro: the client's own cost per call, in memory, without a socket
// (Google Benchmark). gSOAP's transport callbacks (fopen/fsend/frecv/fclose/fpoll) are replaced
// by an in-memory exchange: the request is serialized into a counter, the canned ASMX reply is
// parsed from a string.
//
//   BM_RawProxy_Call        the generated proxy as a user would drive it (build request,
//                           serialize, parse, read SuccessCode, destroy)
//   BM_Facade_Call          the facade's call path, step by step as
//                           src/lib/gsoap_connection.cc's GsoapConnection::ConfirmCustomerUserMfa
//                           does it since 85b9dc3 (validation, pool lock and idle check,
//                           RequestHolder, hooked transport with its clock reads, FromWire,
//                           soap_destroy + soap_dealloc, cleansing the used part of the buffers;
//                           the redactor only on failure), minus the system calls a socket needs;
//                           its private class cannot take an in-memory transport, so this
//                           rebuilds it from the same internal pieces (src/lib/internal/*.h)
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

#include <algorithm>
#include <chrono>
#include <cstring>
#include <mutex>
#include <optional>
#include <vector>

#include "alloc_counter.h"
#include "brightoffice/client.h"
#include "brightoffice_gsoapBrightOfficeAPISoapProxy.h"
#include "canned_reply.h"
#include "clients.h"
#include "raw_request.h"
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
  bench::RawRequest raw;
  gs::_tempuri__ConfirmCustomerUserMFAResponse response;
  const bool ok = proxy.ConfirmCustomerUserMFA(kEndpoint, nullptr, &raw.request, response) == SOAP_OK &&
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
  bench::RawRequest raw;
  AllocScope allocs(state);
  for (auto _ : state) {
    ctx.io.Rewind();
    benchmark::DoNotOptimize(proxy.send_ConfirmCustomerUserMFA(kEndpoint, nullptr, &raw.request));
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
// Mirrors PooledContext/GsoapConnection in src/lib/gsoap_connection.cc as of 85b9dc3 (same hooks,
// same order of work) for a keep-alive SOAP 1.1 call over plain HTTP: the Redactor is built only
// when a call failed, only the bytes of soap->buf this call used are cleansed, the call's data is
// freed with soap_destroy + soap_dealloc, gSOAP's fpoll is a no-op. Left out are the system calls
// a socket needs: the pool's liveness poll() of a reused connection (see BM_Syscall_Poll) and the
// non-blocking send(), which here is the in-memory write. The SIGPIPE block is HTTPS-only.

// gSOAP timeouts as the facade sets them (ToGsoapTimeout is private to gsoap_connection.cc).
int ToGsoapTimeout(std::chrono::microseconds budget) {
  if (budget.count() <= 0) return -1;
  if (budget > std::chrono::seconds(2000)) return static_cast<int>((budget.count() + 999999) / 1000000);
  return -static_cast<int>(budget.count());
}

thread_local internal::CallTrace* t_trace = nullptr;  // the facade's, for TLS verification

// One object plays both parts here: the connection (options, credentials, the idle list) and
// its single pooled context.
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
  Clock::time_point last_used;
  size_t buf_used = 0;
  std::mutex mu;
  std::vector<FacadeState*> idle;

  static FacadeState* Of(struct soap* soap) { return static_cast<FacadeState*>(static_cast<Ctx*>(soap->user)->facade_state); }
  std::chrono::microseconds Remaining() const {
    return std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now());
  }
  void NoteBuffer(struct soap* soap, const char* data, size_t n) {
    if (data >= soap->buf && data < soap->buf + sizeof soap->buf) {
      buf_used = std::max(buf_used, static_cast<size_t>(data - soap->buf) + n);
    }
  }
  template <typename F, typename Failed>
  auto Timed(int& field, std::chrono::milliseconds limit, bool& flag, F io, Failed failed) {
    const auto remaining = Remaining();
    const auto budget = std::min<std::chrono::microseconds>(limit, remaining);
    field = ToGsoapTimeout(budget);
    const auto start = Clock::now();
    auto result = io();
    if (failed(result) && Clock::now() - start + std::chrono::milliseconds(1) >= budget) {
      (budget >= remaining ? trace.deadline_expired : flag) = true;
    }
    return result;
  }
  static SOAP_SOCKET Open(struct soap* soap, const char* e, const char* h, int p) {
    FacadeState* c = Of(soap);
    if (c->Remaining().count() <= 0) {
      c->trace.deadline_expired = true;
      soap->error = SOAP_TCP_ERROR;
      return SOAP_INVALID_SOCKET;
    }
    soap->send_timeout = soap->recv_timeout =
        ToGsoapTimeout(std::min<std::chrono::microseconds>(c->options.io_timeout, c->Remaining()));
    t_trace = &c->trace;
    const SOAP_SOCKET s = c->Timed(soap->connect_timeout, c->options.connect_timeout, c->trace.connect_timed_out,
                                   [&] { return c->open(soap, e, h, p); },
                                   [](SOAP_SOCKET k) { return !soap_valid_socket(k); });
    t_trace = nullptr;
    return s;
  }
  // The facade's ::send(MSG_DONTWAIT) of the whole request, in memory.
  static ssize_t DirectSend(struct soap* soap, const char*, size_t n) {
    Io(soap).sent += n;
    return static_cast<ssize_t>(n);
  }
  static int Send(struct soap* soap, const char* data, size_t n) {
    FacadeState* c = Of(soap);
    if (c->Remaining().count() <= 0) {
      c->trace.deadline_expired = true;
      return SOAP_EOF;
    }
    c->trace.request_may_be_sent = true;
    c->NoteBuffer(soap, data, n);
    if (soap->ssl == nullptr && soap_valid_socket(soap->socket)) {
      const ssize_t w = DirectSend(soap, data, n);
      if (w > 0) {
        if (static_cast<size_t>(w) == n) return SOAP_OK;
        data += w;
        n -= static_cast<size_t>(w);
      }
    }
    return c->Timed(soap->send_timeout, c->options.io_timeout, c->trace.io_timed_out,
                    [&] { return c->send(soap, data, n); }, [](int r) { return r != SOAP_OK; });
  }
  static size_t Recv(struct soap* soap, char* data, size_t n) {
    FacadeState* c = Of(soap);
    if (c->Remaining().count() <= 0) {
      c->trace.deadline_expired = true;
      return 0;
    }
    const size_t r = c->Timed(soap->recv_timeout, c->options.io_timeout, c->trace.io_timed_out,
                              [&] { return c->recv(soap, data, n); }, [](size_t got) { return got == 0; });
    c->trace.bytes_received += r;
    c->NoteBuffer(soap, data, r);
    if (c->trace.bytes_received > c->options.max_response_bytes) {
      c->trace.response_too_large = true;
      return 0;
    }
    return r;
  }
  static int Poll(struct soap*) { return SOAP_OK; }
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
    soap->fpoll = Poll;
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

  // The facade builds this only for a failed call (its text goes through it).
  internal::Redactor MakeRedactor(const CustomerInfo& customer) const {
    internal::Redactor redactor;
    redactor.Add(credentials.password.Reveal());
    if (!options.proxy_username.empty()) redactor.Add(options.proxy_password.Reveal());
    for (const auto* secret : {&customer.password, &customer.mfa_code, &customer.temporary_password,
                               &customer.new_password}) {
      if (*secret) redactor.Add((*secret)->Reveal());
    }
    return redactor;
  }

  FacadeState* Acquire() {
    std::lock_guard<std::mutex> lock(mu);
    FacadeState* c = idle.back();
    idle.pop_back();
    struct soap* soap = c->proxy.soap;
    // The facade also polls the idle socket here (PeerClosedOrSpoke): a system call, left out.
    if (soap_valid_socket(soap->socket) && Clock::now() - c->last_used > options.max_idle_time) {
      soap->keep_alive = 0;
      soap_force_closesock(soap);
    }
    return c;
  }

  void Release(FacadeState* c) {
    c->last_used = Clock::now();
    std::lock_guard<std::mutex> lock(mu);
    if (idle.size() < options.max_idle_connections) idle.push_back(c);
  }

  StatusOr<ServiceResult> Call(const CustomerInfo& customer) {
    if (Status s = Validate(customer); !s.ok()) return s;
    const Clock::time_point call_deadline = Clock::now() + options.deadline;
    FacadeState* c = Acquire();
    struct soap* soap = c->proxy.soap;
    c->trace = internal::CallTrace{};
    c->trace.deadline = options.deadline;
    c->trace.max_response_bytes = options.max_response_bytes;
    c->deadline = call_deadline;
    c->buf_used = 0;
    StatusOr<ServiceResult> out = Status(ErrorKind::kMalformedResponse, "no response");
    {
      internal::RequestHolder request(customer, credentials);
      internal::wire::Response response;
      const int rc = c->proxy.ConfirmCustomerUserMFA(options.endpoint.c_str(), nullptr, request.get(), response);
      out = rc == SOAP_OK ? internal::FromWire(response)
                          : StatusOr<ServiceResult>(internal::MapGsoapError(soap, c->trace, MakeRedactor(customer)));
      if (!out.ok()) {
        soap->keep_alive = 0;
        soap_force_closesock(soap);
      }
      soap_destroy(soap);
      soap_dealloc(soap, nullptr);
    }
    OPENSSL_cleanse(soap->buf, out.ok() ? std::min(sizeof soap->buf, c->buf_used) : sizeof soap->buf);
    OPENSSL_cleanse(soap->msgbuf, sizeof soap->msgbuf);
    OPENSSL_cleanse(soap->tmpbuf, sizeof soap->tmpbuf);
    Release(c);
    return out;
  }
};

CustomerInfo BenchCustomer() {
  CustomerInfo customer;
  customer.email = bench::kEmail;
  customer.mfa_code = Secret(bench::kMfaCode);
  return customer;
}

void BM_Facade_Call(benchmark::State& state) {
  FacadeState facade;
  const CustomerInfo customer = BenchCustomer();
  facade.ctx.io.Rewind();
  auto first = facade.Call(customer);
  if (!first.ok() || !first->succeeded()) {
    state.SkipWithError(("facade call failed: " + first.status().ToString()).c_str());
    return;
  }
  AllocScope allocs(state);
  for (auto _ : state) {
    facade.ctx.io.Rewind();
    auto r = facade.Call(customer);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_Facade_Call);

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
// The facade sets a receive timeout (gSOAP then polls before every receive; since 85b9dc3 the
// request over plain HTTP goes out with one non-blocking send(), without gSOAP's poll) and polls
// an idle pooled connection before reusing it (gSOAP's own liveness poll is skipped): each poll
// is one system call.
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
