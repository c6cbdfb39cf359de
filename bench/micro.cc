// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// brightoffice-bench-micro: the client's own cost per call, in memory, without a socket
// (Google Benchmark). For the raw proxy, gSOAP's transport callbacks
// (fopen/fsend/frecv/fclose/fpoll) are replaced by an in-memory exchange: the request is
// serialized into a counter, the canned ASMX reply is parsed from a string.
//
//   BM_RawProxy_Call        the generated proxy as a user would drive it (build request,
//                           serialize, parse, read SuccessCode, destroy)
//   BM_Facade_Call          brightoffice::Client::ConfirmCustomerUserMfa itself, over the
//                           library's in-memory transport (internal::t_memory_transport): the
//                           whole call path but the socket's send()/recv()
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

#include "alloc_counter.h"
#include "brightoffice/client.h"
#include "brightoffice_gsoapBrightOfficeAPISoapProxy.h"
#include "canned_reply.h"
#include "clients.h"
#include "raw_request.h"
#include "internal/operations.h"
#include "internal/gsoap_connection.h"
#include "internal/text.h"
#include "internal/xml_guard.h"

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

// --- the facade's real call path ------------------------------------------------------------------
// brightoffice::Client as a user calls it, with the library's in-memory transport
// (internal::t_memory_transport, as the fuzzer uses): everything GsoapConnection does per call
// runs (validation, pool and its liveness poll() of the pooled descriptor, hooks with their clock
// reads, the XmlGuard pre-check, FromWire, cleansing) except the socket's send() and recv(),
// which the raw proxy above does not make either. The poll() is one system call the raw proxy
// in memory does not make (gSOAP's own liveness check is a no-op there): see BM_Syscall_Poll.

Client MakeFacade() {
  Options options;
  options.endpoint = kEndpoint;
  auto client = Client::Create(options, ApiCredentials{bench::kApiUser, Secret(bench::kApiPassword)});
  if (!client.ok()) std::abort();
  return *client;
}

CustomerInfo BenchCustomer() {
  CustomerInfo customer;
  customer.email = bench::kEmail;
  customer.mfa_code = Secret(bench::kMfaCode);
  return customer;
}

void BM_Facade_Call(benchmark::State& state) {
  Client facade = MakeFacade();
  const CustomerInfo customer = BenchCustomer();
  const std::string reply = bench::CannedHttpReply();
  internal::MemoryTransport transport;
  transport.response = reply;
  internal::t_memory_transport = &transport;
  auto first = facade.ConfirmCustomerUserMfa(customer);
  if (!first.ok() || !first->succeeded()) {
    internal::t_memory_transport = nullptr;
    state.SkipWithError(("facade call failed: " + first.status().ToString()).c_str());
    return;
  }
  {
    AllocScope allocs(state);
    for (auto _ : state) {
      transport.offset = 0;
      auto r = facade.ConfirmCustomerUserMfa(customer);
      benchmark::DoNotOptimize(r);
    }
  }
  internal::t_memory_transport = nullptr;
}
BENCHMARK(BM_Facade_Call);

// --- pieces of the facade's own work ---------------------------------------------------------------
void BM_Facade_RequestHolder(benchmark::State& state) {
  const CustomerInfo customer = BenchCustomer();
  const ApiCredentials credentials{bench::kApiUser, Secret(bench::kApiPassword)};
  AllocScope allocs(state);
  for (auto _ : state) {
    internal::customer_user::RequestHolder<internal::ConfirmCustomerUserMfaOp::Request> request(customer, credentials);
    benchmark::DoNotOptimize(request.get());
  }
}
BENCHMARK(BM_Facade_RequestHolder);

void BM_Facade_FromWire(benchmark::State& state) {
  std::string message = "MFA confirmed for jane@example.com (00000000-0000-0000-0000-000000000000) newpw=no tmppw=no";
  std::string empty;
  internal::customer_user::wire::Result result;
  result.SuccessCode = "SUCCESS";
  result.Message = &message;
  result.ExceptionMessage = &empty;
  result.IsSystemError = false;
  AllocScope allocs(state);
  for (auto _ : state) {
    benchmark::DoNotOptimize(internal::customer_user::ReadResult(&result, internal::ConfirmCustomerUserMfaOp::kInfo.result_element));
  }
}
BENCHMARK(BM_Facade_FromWire);

// What a failed call adds: the redactor over every secret (never built on success).
void BM_Facade_Redactor(benchmark::State& state) {
  const CustomerInfo customer = BenchCustomer();
  const Secret api_password(bench::kApiPassword);
  AllocScope allocs(state);
  for (auto _ : state) {
    internal::Redactor redactor;
    redactor.Add(api_password.Reveal());
    redactor.Add(customer.mfa_code->Reveal());
    benchmark::DoNotOptimize(redactor);
  }
}
BENCHMARK(BM_Facade_Redactor);

void BM_Facade_XmlGuard(benchmark::State& state) {
  const std::string body = bench::CannedResponseBody();
  AllocScope allocs(state);
  for (auto _ : state) {
    internal::XmlGuard guard(32, internal::ConfirmCustomerUserMfaOp::kInfo.result_element);
    benchmark::DoNotOptimize(guard.Feed(body.data(), body.size()));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_Facade_XmlGuard);


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
