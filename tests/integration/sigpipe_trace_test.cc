// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// The user's trace callback runs with the caller's own signal setup (issue 12, item 4): the
// library blocks SIGPIPE while it opens a TLS connection, and when opening fails (a proxy
// answering 407 or 502 to CONNECT, a handshake that fails after the tunnel) that block must be
// lifted before user code runs. Here the trace callback raises SIGPIPE itself with a counting
// handler installed: the signal must be delivered (not held, then taken away), and SIGPIPE must
// not be blocked while the callback runs. A caller that blocked SIGPIPE itself keeps its block
// and its pending signal.

#include <doctest/doctest.h>

#include <pthread.h>
#include <signal.h>
#include <time.h>

#include <atomic>
#include <string>
#include <string_view>

#include "brightoffice/client.h"
#include "scripted_server.h"
#include "test_certs.h"
#include "tinyproxy.h"

using namespace brightoffice;
using brightoffice::tests::ScriptedAnswer;
using brightoffice::tests::ScriptedRequest;
using brightoffice::tests::ScriptedServer;
using brightoffice::tests::ScriptedServerOptions;
using brightoffice::tests::TestPki;

namespace {

volatile sig_atomic_t g_sigpipes = 0;
void CountSigpipe(int) { g_sigpipes = g_sigpipes + 1; }

// Installs the counting handler for the scope, restoring the previous one after.
class CountingHandler {
 public:
  CountingHandler() {
    struct sigaction sa {};
    sa.sa_handler = &CountSigpipe;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGPIPE, &sa, &old_);
    g_sigpipes = 0;
  }
  ~CountingHandler() { sigaction(SIGPIPE, &old_, nullptr); }

 private:
  struct sigaction old_ {};
};

bool SigpipeBlocked() {
  sigset_t current;
  pthread_sigmask(SIG_BLOCK, nullptr, &current);
  return sigismember(&current, SIGPIPE) == 1;
}

bool SigpipePending() {
  sigset_t pending;
  sigpending(&pending);
  return sigismember(&pending, SIGPIPE) == 1;
}

struct TraceObservations {
  int calls = 0;
  int blocked_in_callback = 0;   // callbacks that found SIGPIPE blocked
  int delivered_at_once = 0;     // raises whose handler ran before pthread_kill returned
  std::string texts;
};

// The call, its trace callback raising SIGPIPE at each message.
StatusOr<ServiceResult> CallRaisingInTrace(Options o, TraceObservations& seen) {
  o.deadline = std::chrono::seconds(5);
  o.trace = [&seen](std::string_view text) {
    ++seen.calls;
    seen.texts += std::string(text) + "\n";
    if (SigpipeBlocked()) ++seen.blocked_in_callback;
    const int before = g_sigpipes;
    pthread_kill(pthread_self(), SIGPIPE);
    if (g_sigpipes > before) ++seen.delivered_at_once;
  };
  auto client = Client::Create(o, {"api-user", Secret("api-secret")});
  REQUIRE(client.ok());
  CustomerInfo c;
  c.email = "jane@example.com";
  c.mfa_code = Secret("123456");
  return client->ConfirmCustomerUserMfa(c);
}

// A fake proxy answering every CONNECT with `answer`, then closing.
ScriptedServer FakeProxy(std::string answer) {
  return ScriptedServer([answer](const ScriptedRequest&) { return ScriptedAnswer::Once(answer); });
}

Options Through(int proxy_port, const std::string& endpoint = "https://localhost:9/Webservices/BrightOfficeAPI.asmx") {
  Options o;
  o.endpoint = endpoint;
  o.ca_file = TestPki::Get().ca_file;
  o.proxy_host = "127.0.0.1";
  o.proxy_port = proxy_port;
  return o;
}

void CheckDelivered(const TraceObservations& seen) {
  INFO(seen.texts);
  REQUIRE(seen.calls >= 1);
  CHECK(seen.blocked_in_callback == 0);
  CHECK(seen.delivered_at_once == seen.calls);
  CHECK(g_sigpipes == seen.calls);
  CHECK_FALSE(SigpipeBlocked());
  CHECK_FALSE(SigpipePending());
}

}  // namespace

TEST_CASE("HTTPS, the proxy answers CONNECT with 407: a SIGPIPE raised in the trace callback is delivered") {
  CountingHandler handler;
  ScriptedServer proxy(FakeProxy(
      "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"p\"\r\nContent-Length: 0\r\n\r\n"));
  TraceObservations seen;
  auto r = CallRaisingInTrace(Through(proxy.port()), seen);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().kind() == ErrorKind::kHttpStatus);
  CHECK(r.status().http_status() == 407);
  CHECK(seen.texts.find("CONNECT localhost:9") != std::string::npos);
  CheckDelivered(seen);
}

TEST_CASE("HTTPS, the proxy answers CONNECT with 502: a SIGPIPE raised in the trace callback is delivered") {
  CountingHandler handler;
  ScriptedServer proxy(FakeProxy("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n"));
  TraceObservations seen;
  auto r = CallRaisingInTrace(Through(proxy.port()), seen);
  REQUIRE_FALSE(r.ok());
  CheckDelivered(seen);
}

TEST_CASE("HTTPS, the tunnel opens and the handshake fails: a SIGPIPE raised in the trace callback is delivered") {
  CountingHandler handler;
  // 200 to CONNECT, then the "server" hangs up instead of answering the ClientHello.
  ScriptedServer proxy(FakeProxy("HTTP/1.1 200 Connection established\r\n\r\n"));
  TraceObservations seen;
  auto r = CallRaisingInTrace(Through(proxy.port()), seen);
  REQUIRE_FALSE(r.ok());
  CHECK((r.status().kind() == ErrorKind::kTls || r.status().kind() == ErrorKind::kConnection));
  CheckDelivered(seen);
}

TEST_CASE("HTTPS through tinyproxy to a certificate the client refuses: a SIGPIPE raised in the trace callback is delivered") {
  CountingHandler handler;
  tests::TinyProxy proxy;
  ScriptedServer server(tests::TlsOptions(TestPki::Get().untrusted), [](const ScriptedRequest&) { return ScriptedAnswer(); });
  TraceObservations seen;
  auto r = CallRaisingInTrace(Through(proxy.port(), server.endpoint("localhost")), seen);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().kind() == ErrorKind::kTls);
  CheckDelivered(seen);
}

TEST_CASE("a successful HTTPS call through tinyproxy: a SIGPIPE raised in the trace callback is delivered") {
  CountingHandler handler;
  tests::TinyProxy proxy;
  ScriptedServer server(tests::TlsOptions(), tests::TaggedScript());
  TraceObservations seen;
  auto r = CallRaisingInTrace(Through(proxy.port(), server.endpoint("localhost")), seen);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  CheckDelivered(seen);
}

TEST_CASE("a caller that blocked SIGPIPE itself keeps its block, and the SIGPIPE its callback raised stays pending") {
  CountingHandler handler;
  ScriptedServer proxy(FakeProxy("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n"));
  sigset_t pipe, old;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, &old);
  TraceObservations seen;
  auto r = CallRaisingInTrace(Through(proxy.port()), seen);
  REQUIRE_FALSE(r.ok());
  CHECK(seen.calls >= 1);
  CHECK(SigpipeBlocked());
  CHECK(SigpipePending());  // the caller's business, not taken away
  CHECK(g_sigpipes == 0);
  const timespec zero{0, 0};
  while (sigtimedwait(&pipe, nullptr, &zero) == SIGPIPE) {
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
}
