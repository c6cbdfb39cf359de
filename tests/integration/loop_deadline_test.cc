// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// The call's deadline inside gSOAP's own loops (issue 12, item 3): servers that keep every
// single wait short (a byte every 10 ms) while the whole stage never ends - the TLS handshake,
// a TLS record, a plain HTTP answer, a proxy's answer to CONNECT - and a host name whose
// several addresses all drop the connection attempt. With a deadline of 2 s and an I/O timeout
// of 1 s, each call must end with kTimeout within the deadline plus the slack of
// integration_deadline_test (0.5 s; times BRIGHTOFFICE_TIME_SCALE under the sanitizers).
//
// The host with several addresses: tests/support/fake_resolver.h (this program's own
// getaddrinfo, interposing on the C library's) answers the made-up name
// multi-address.brightoffice.test with 127.0.0.2, 127.0.0.3 and 127.0.0.4 (all loopback on
// Linux). On each of them the same port has a listener whose accept queue is full, so the
// kernel drops the SYN and connect() neither succeeds nor fails. No /etc/hosts entry, no
// hook in the library.

#include <doctest/doctest.h>


#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "brightoffice/client.h"
#include "dropping_listener.h"
#include "fake_resolver.h"
#include "scripted_server.h"
#include "test_certs.h"
#include "timed_call.h"

using namespace brightoffice;
using brightoffice::tests::ScriptedAnswer;
using brightoffice::tests::ScriptedRequest;
using brightoffice::tests::ScriptedServer;
using brightoffice::tests::ScriptedServerOptions;
using brightoffice::tests::TestPki;
using std::chrono::milliseconds;

namespace {

constexpr char kMultiHost[] = "multi-address.brightoffice.test";

}  // namespace

namespace {

constexpr milliseconds kDeadline{2000};
constexpr milliseconds kIoTimeout{1000};

// The slack of integration_deadline_test, stretched under the sanitizers (timed_call.h).
milliseconds Slack() { return tests::DeadlineSlack(); }

using Timed = tests::TimedCall;

Options Base(const std::string& endpoint) {
  Options o;
  o.endpoint = endpoint;
  o.deadline = kDeadline;
  o.io_timeout = kIoTimeout;
  o.ca_file = TestPki::Get().ca_file;
  return o;
}

Timed Call(const Options& o) { return tests::CallTimed(o); }

void CheckDeadline(const Timed& t, milliseconds deadline = kDeadline) { tests::CheckTimedOut(t, deadline, "deadline"); }

ScriptedServerOptions Tls() { return tests::TlsOptions(); }

// A complete-looking answer far longer than can arrive in time at 10 ms a byte.
std::string LongAnswer() {
  std::string message(4000, 'x');
  return tests::HttpAnswer(tests::SoapResult(message));
}

ScriptedAnswer Drip(const ScriptedRequest&) {
  ScriptedAnswer a;
  a.Add(LongAnswer(), milliseconds(0), milliseconds(10));
  return a;
}

std::string LocalhostEndpoint(const ScriptedServer& server) { return server.endpoint("localhost"); }

// Dropping listeners on 127.0.0.2, .3 and .4, all on one port; kMultiHost resolves to them.
struct ThreeDroppingAddresses {
  std::vector<std::unique_ptr<tests::DroppingListener>> listeners;
  int port = 0;
  ThreeDroppingAddresses() {
    const std::vector<std::string> addresses = {"127.0.0.2", "127.0.0.3", "127.0.0.4"};
    for (int attempt = 0; attempt < 20 && listeners.size() < addresses.size(); ++attempt) {
      listeners.clear();
      for (const auto& a : addresses) {
        auto l = std::make_unique<tests::DroppingListener>();
        if (!l->Open(a, listeners.empty() ? 0 : port)) break;
        if (listeners.empty()) port = l->port();
        listeners.push_back(std::move(l));
      }
    }
    REQUIRE(listeners.size() == addresses.size());
    for (const auto& l : listeners) REQUIRE(l->ConnectHangs(milliseconds(200)));
    tests::FakeResolve(kMultiHost, addresses);
  }
  std::string Endpoint(const char* scheme) const {
    return std::string(scheme) + "://" + kMultiHost + ":" + std::to_string(port) + "/Webservices/BrightOfficeAPI.asmx";
  }
};

}  // namespace

TEST_CASE("HTTPS: a server sending its handshake a byte every 10 ms: timeout at the deadline") {
  ScriptedServerOptions so = Tls();
  so.handshake_per_byte = milliseconds(10);
  ScriptedServer server(so, Drip);
  CheckDeadline(Call(Base(LocalhostEndpoint(server))));
  CHECK(server.requests().empty());
}

TEST_CASE("HTTPS: the answer's TLS record arriving a byte every 10 ms: timeout at the deadline") {
  ScriptedServer server(Tls(), Drip);
  CheckDeadline(Call(Base(LocalhostEndpoint(server))));
  CHECK(server.handshakes_completed() == 1);
  CHECK(server.requests().size() == 1);
}

// At 10 ms a byte gSOAP's 100 retries of a partial record end after about 1 s, reported as the
// I/O timeout although no wait came near it; at 50 ms a byte they outlast the deadline.
TEST_CASE("HTTPS: the answer's TLS record arriving a byte every 50 ms: timeout at the deadline") {
  ScriptedServer server(Tls(), [](const ScriptedRequest&) {
    ScriptedAnswer a;
    a.Add(LongAnswer(), milliseconds(0), milliseconds(50));
    return a;
  });
  CheckDeadline(Call(Base(LocalhostEndpoint(server))));
}

TEST_CASE("HTTPS: the answer in one-byte TLS records, one every 10 ms: timeout at the deadline") {
  ScriptedServer server(Tls(), [](const ScriptedRequest&) {
    ScriptedAnswer a;
    for (char ch : LongAnswer()) a.Add(std::string(1, ch), milliseconds(10));
    return a;
  });
  CheckDeadline(Call(Base(LocalhostEndpoint(server))));
}

TEST_CASE("HTTP: an answer arriving a byte every 10 ms: timeout at the deadline") {
  ScriptedServer server(Drip);
  CheckDeadline(Call(Base(server.endpoint())));
  CHECK(server.requests().size() == 1);
}

TEST_CASE("HTTP: an answer's headers arriving a byte every 10 ms, without end: timeout at the deadline") {
  ScriptedServer server([](const ScriptedRequest&) {
    ScriptedAnswer a;
    a.Add("HTTP/1.1 200 OK\r\nX-Long: " + std::string(100000, 'a'), milliseconds(0), milliseconds(10));
    return a;
  });
  CheckDeadline(Call(Base(server.endpoint())));
}

TEST_CASE("HTTPS through a proxy whose answer to CONNECT arrives a byte every 10 ms: timeout at the deadline") {
  ScriptedServer proxy([](const ScriptedRequest&) {
    ScriptedAnswer a;
    a.Add("HTTP/1.1 200 Connection established\r\nX-Long: " + std::string(100000, 'a'), milliseconds(0),
          milliseconds(10));
    return a;
  });
  Options o = Base("https://localhost:9/Webservices/BrightOfficeAPI.asmx");
  o.proxy_host = "127.0.0.1";
  o.proxy_port = proxy.port();
  CheckDeadline(Call(o));
  REQUIRE(proxy.requests().size() == 1);
  CHECK(proxy.requests()[0].RequestLine().rfind("CONNECT localhost:9 ", 0) == 0);
}

TEST_CASE("the fake resolver works: a name with a refusing address, then a serving one, connects to the second") {
  // 127.0.0.2:port refuses (nothing listens there), 127.0.0.3:port answers.
  ScriptedServerOptions so;
  so.address = "127.0.0.3";
  ScriptedServer server(so, tests::TaggedScript());
  tests::FakeResolve(kMultiHost, {"127.0.0.2", "127.0.0.3"});
  const Timed t = Call(Base(std::string("http://") + kMultiHost + ":" + std::to_string(server.port()) +
                            "/Webservices/BrightOfficeAPI.asmx"));
  INFO(t.result.status().ToString());
  REQUIRE(t.result.ok());
  CHECK(t.result->message.value_or("") == "jane@example.com");
  CHECK(server.requests().size() == 1);
}

TEST_CASE("a host name whose three addresses all drop the connection attempt: timeout at the deadline, HTTP and HTTPS") {
  ThreeDroppingAddresses addresses;
  for (const char* scheme : {"http", "https"}) {
    CAPTURE(std::string(scheme));
    CheckDeadline(Call(Base(addresses.Endpoint(scheme))));
  }
}

TEST_CASE("three dropping addresses with a connect timeout shorter than the deadline: the call still ends by the deadline") {
  ThreeDroppingAddresses addresses;
  Options o = Base(addresses.Endpoint("http"));
  o.connect_timeout = milliseconds(1500);  // 1.5 s for each of 3 addresses would be 4.5 s
  const Timed t = Call(o);
  INFO("elapsed " << t.elapsed.count() << " ms; " << t.result.status().ToString());
  REQUIRE_FALSE(t.result.ok());
  CHECK(t.result.status().kind() == ErrorKind::kTimeout);
  CHECK(t.elapsed < kDeadline + Slack());
}

TEST_CASE("three dropping addresses, a short connect timeout and a long deadline: bounded by the connect timeouts") {
  ThreeDroppingAddresses addresses;
  Options o = Base(addresses.Endpoint("http"));
  o.deadline = std::chrono::seconds(10);
  o.connect_timeout = milliseconds(400);
  const Timed t = Call(o);
  INFO("elapsed " << t.elapsed.count() << " ms; " << t.result.status().ToString());
  REQUIRE_FALSE(t.result.ok());
  CHECK(t.result.status().kind() == ErrorKind::kTimeout);
  // Whether the connect timeout counts per address or for the whole connection attempt, three
  // addresses never take more than three of them.
  CHECK(t.elapsed < 3 * o.connect_timeout + Slack());
}
