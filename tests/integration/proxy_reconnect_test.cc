// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// HTTPS through a real CONNECT proxy (Debian's tinyproxy) when pooled connections are closed
// and opened again on one Client: by the server after every answer (with and without
// "Connection: close"), after failed calls (a fault, a timeout, a refused handshake), and after
// max_idle_time. Each new connection reads the proxy's answer to CONNECT before any TLS exists;
// a TLS state left over from the previous connection (issue 12: soap->bio pointing at a BIO
// that OpenSSL freed with the old SSL object) makes that read use freed memory: a crash, or
// passing by luck. So this test also runs under ASan (label asan, the whole suite) and
// valgrind (tests/sanitizers/valgrind.sh lists it), which see the invalid read.
//
// Every answer is tagged with its request's e-mail, so each call also proves it got its own.

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>

#include "brightoffice/client.h"
#include "scripted_server.h"
#include "time_scale.h"
#include "test_certs.h"
#include "tinyproxy.h"

using namespace brightoffice;
using brightoffice::tests::TimeScale;
using brightoffice::tests::ScriptedAnswer;
using brightoffice::tests::ScriptedRequest;
using brightoffice::tests::ScriptedServer;
using brightoffice::tests::ScriptedServerOptions;
using brightoffice::tests::TestPki;
using brightoffice::tests::TinyProxy;
using std::chrono::milliseconds;

namespace {

ScriptedServerOptions Tls() { return tests::TlsOptions(); }

// Answers each request with its own e-mail as the Message (tests::TaggedAnswer).
ScriptedAnswer Tagged(const ScriptedRequest& request, bool connection_close_header, ScriptedAnswer::Then then) {
  std::vector<std::string> extra;
  if (connection_close_header) extra.push_back("Connection: close");
  return tests::TaggedAnswer(request, milliseconds(0), then, extra);
}

Client MakeClient(const TinyProxy& proxy, const ScriptedServer& server, Options o = Options()) {
  o.endpoint = server.endpoint("localhost");
  o.ca_file = TestPki::Get().ca_file;
  o.proxy_host = "127.0.0.1";
  o.proxy_port = proxy.port();
  o.deadline = std::chrono::seconds(10) * TimeScale();
  auto client = Client::Create(o, {"api-user", Secret("api-secret")});
  REQUIRE(client.ok());
  return *client;
}

StatusOr<ServiceResult> Call(const Client& client, const std::string& email, const char* code = "123456") {
  CustomerInfo c;
  c.email = email;
  c.mfa_code = Secret(code);
  return client.ConfirmCustomerUserMfa(c);
}

void CheckOwnAnswer(const StatusOr<ServiceResult>& r, const std::string& email) {
  INFO(email << ": " << r.status().ToString());
  REQUIRE(r.ok());
  CHECK(r->succeeded());
  CHECK(r->message.value_or("") == email);
}

std::string Email(int i) { return "user" + std::to_string(i) + "@example.com"; }

}  // namespace

TEST_CASE("HTTPS through tinyproxy, the server closing after every answer (Connection: close): 50 calls on one Client") {
  TinyProxy proxy;
  ScriptedServer server(Tls(), [](const ScriptedRequest& r) { return Tagged(r, true, ScriptedAnswer::Then::kClose); });
  const Client client = MakeClient(proxy, server);
  for (int i = 0; i < 50; ++i) CheckOwnAnswer(Call(client, Email(i)), Email(i));
  CHECK(server.requests().size() == 50);
  CHECK(server.connections() == 50);
  CHECK(server.handshakes_completed() == 50);
}

TEST_CASE("HTTPS through tinyproxy, the server closing after every answer without saying so") {
  TinyProxy proxy;
  ScriptedServer server(Tls(), [](const ScriptedRequest& r) { return Tagged(r, false, ScriptedAnswer::Then::kClose); });
  const Client client = MakeClient(proxy, server);
  constexpr int kCalls = 15;
  for (int i = 0; i < kCalls; ++i) {
    // The close travels server -> tinyproxy -> client; give it time to arrive, so that the
    // pool sees a closed connection rather than racing it (a request that may have arrived is
    // never sent again, so a lost race would be a failure, not a retry).
    if (i > 0) std::this_thread::sleep_for(milliseconds(100) * TimeScale());
    CheckOwnAnswer(Call(client, Email(i)), Email(i));
  }
  CHECK(server.requests().size() == kCalls);
  CHECK(server.connections() == kCalls);
}

TEST_CASE("HTTPS through tinyproxy: a new connection after each failed call (fault, timeout, refused handshake)") {
  TinyProxy proxy;
  // Requests with MFA code "fault" get a SOAP fault (and a close, as ASMX does); "silent" ones
  // get nothing (the client's deadline ends the call); the others their tagged answer, on a
  // connection kept open.
  ScriptedServer server(Tls(), [](const ScriptedRequest& r) {
    const std::string code = r.Element("MFACode");
    ScriptedAnswer a;
    if (code == "fault") {
      a.Add(tests::HttpAnswer(tests::SoapFault("no such code"), 500));
      a.then = ScriptedAnswer::Then::kClose;
    } else if (code == "silent") {
      a.then = ScriptedAnswer::Then::kHold;
    } else {
      a = Tagged(r, false, ScriptedAnswer::Then::kReadNext);
    }
    return a;
  });
  Options o;
  o.deadline = milliseconds(1500) * TimeScale();
  o.endpoint = server.endpoint("localhost");
  o.ca_file = TestPki::Get().ca_file;
  o.proxy_host = "127.0.0.1";
  o.proxy_port = proxy.port();
  auto created = Client::Create(o, {"api-user", Secret("api-secret")});
  REQUIRE(created.ok());
  const Client client = *created;
  int calls = 0;
  for (int round = 0; round < 6; ++round) {
    CAPTURE(round);
    CheckOwnAnswer(Call(client, Email(calls), "123456"), Email(calls));
    ++calls;
    auto fault = Call(client, Email(calls++), "fault");
    REQUIRE_FALSE(fault.ok());
    CHECK(fault.status().kind() == ErrorKind::kSoapFault);
    CheckOwnAnswer(Call(client, Email(calls), "123456"), Email(calls));
    ++calls;
    if (round == 0) {  // one timeout is enough (each costs the deadline, 15 s under valgrind)
      auto silent = Call(client, Email(calls++), "silent");
      REQUIRE_FALSE(silent.ok());
      CHECK(silent.status().kind() == ErrorKind::kTimeout);
    }
  }
  CHECK(static_cast<int>(server.requests().size()) == calls);

  // A handshake the client refuses (the CA it trusts did not sign this certificate), then the
  // same Client to a good server again: each through a fresh CONNECT. A Client has one
  // endpoint, so the good server takes over the bad one's port once the bad one is gone.
  const ScriptedServerOptions untrusted = tests::TlsOptions(TestPki::Get().untrusted);
  std::optional<ScriptedServer> bad;
  bad.emplace(untrusted, [](const ScriptedRequest& r) { return Tagged(r, false, ScriptedAnswer::Then::kReadNext); });
  const int port = bad->port();
  Options both = o;
  both.endpoint = bad->endpoint("localhost");
  auto bad_client = Client::Create(both, {"api-user", Secret("api-secret")});
  REQUIRE(bad_client.ok());
  for (int i = 0; i < 5; ++i) {
    auto refused = Call(*bad_client, Email(100 + i));
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.status().kind() == ErrorKind::kTls);
    CHECK_FALSE(refused.status().request_may_have_been_sent());
  }
  CHECK(bad->requests().empty());
  CHECK(bad->connections() == 5);  // a fresh CONNECT, and connection, for each
  bad.reset();
  ScriptedServerOptions trusted = Tls();
  trusted.port = port;
  ScriptedServer good(trusted, [](const ScriptedRequest& r) { return Tagged(r, false, ScriptedAnswer::Then::kReadNext); });
  REQUIRE(good.port() == port);
  for (int i = 0; i < 3; ++i) CheckOwnAnswer(Call(*bad_client, Email(200 + i)), Email(200 + i));
  CHECK(good.requests().size() == 3);
  CHECK(good.handshakes_completed() >= 1);
}

TEST_CASE("HTTPS through tinyproxy: connections older than max_idle_time are replaced") {
  TinyProxy proxy;
  ScriptedServer server(Tls(), [](const ScriptedRequest& r) { return Tagged(r, false, ScriptedAnswer::Then::kReadNext); });
  Options o;
  o.max_idle_time = milliseconds(100);
  const Client client = MakeClient(proxy, server, o);
  for (int i = 0; i < 10; ++i) {
    if (i > 0) std::this_thread::sleep_for(milliseconds(250));
    CheckOwnAnswer(Call(client, Email(i)), Email(i));
  }
  CHECK(server.requests().size() == 10);
  CHECK(server.connections() == 10);  // none was reused after its idle time
}

TEST_CASE("HTTPS through tinyproxy: many threads on one Client, the server closing after every answer") {
  TinyProxy proxy;
  ScriptedServer server(Tls(), [](const ScriptedRequest& r) { return Tagged(r, true, ScriptedAnswer::Then::kClose); });
  const Client client = MakeClient(proxy, server);
  constexpr int kThreads = 4, kCalls = 10;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCalls; ++i) {
        const std::string email = Email(t * 1000 + i);
        auto r = Call(client, email);
        if (r.ok() && r->message.value_or("") == email) ++ok;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(ok == kThreads * kCalls);
}
