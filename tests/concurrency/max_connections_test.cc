// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// Options::max_connections (issue 12, item 4): one Client never has more connections open at
// once than max_connections; callers beyond it wait for a connection within their own deadline,
// and one whose deadline passes while waiting gets kTimeout without anything sent
// (request_may_have_been_sent() false). The server counts connections open at once and
// requests in flight, and tags each answer with its request's e-mail.


#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "brightoffice/client.h"
#include "fake_resolver.h"
#include "scripted_server.h"
#include "time_scale.h"
#include "test_certs.h"

using namespace brightoffice;
using brightoffice::tests::TimeScale;
using brightoffice::tests::ScriptedAnswer;
using brightoffice::tests::ScriptedRequest;
using brightoffice::tests::ScriptedServer;
using brightoffice::tests::ScriptedServerOptions;
using brightoffice::tests::TestPki;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

std::string Email(int i) { return "caller" + std::to_string(i) + "@example.com"; }

StatusOr<ServiceResult> Call(const Client& client, const std::string& email) {
  CustomerInfo c;
  c.email = email;
  c.mfa_code = Secret("123456");
  return client.ConfirmCustomerUserMfa(c);
}

struct Tally {
  std::atomic<int> ok{0};
  std::mutex mu;
  std::vector<std::string> problems;
  void Problem(std::string p) {
    std::lock_guard<std::mutex> lock(mu);
    problems.push_back(std::move(p));
  }
};

// `callers` threads, each making `calls` calls on its own copy of `client` (copies share one
// connection and so one bound).
void Hammer(const Client& client, int callers, int calls, Tally& tally, milliseconds deadline) {
  std::vector<std::thread> threads;
  for (int t = 0; t < callers; ++t) {
    threads.emplace_back([&, t, copy = client] {
      for (int i = 0; i < calls; ++i) {
        const std::string email = Email(t * 1000 + i);
        const auto start = Clock::now();
        auto r = Call(copy, email);
        const auto elapsed = Clock::now() - start;
        if (!r.ok()) {
          tally.Problem(email + ": " + r.status().ToString());
        } else if (r->message.value_or("") != email) {
          tally.Problem(email + " got the answer of " + r->message.value_or(""));
        } else if (elapsed > deadline + milliseconds(500) * TimeScale()) {
          tally.Problem(email + " took longer than its deadline");
        } else {
          ++tally.ok;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
}

}  // namespace

TEST_CASE("the default bound is documented and positive") {
  CHECK(Options().max_connections >= 1);
}

TEST_CASE("40 concurrent callers, max_connections = 4: never more than 4 connections, every call succeeds") {
  ScriptedServer server(tests::TaggedScript(milliseconds(100)));
  Options o;
  o.endpoint = server.endpoint();
  o.max_connections = 4;
  o.max_idle_connections = 8;
  o.deadline = std::chrono::seconds(10) * TimeScale();
  auto client = Client::Create(o, {"api-user", Secret("api-secret")});
  REQUIRE(client.ok());
  Tally tally;
  Hammer(*client, 40, 2, tally, o.deadline);
  for (const auto& p : tally.problems) MESSAGE(p);
  CHECK(tally.ok == 80);
  CHECK(server.requests().size() == 80);
  CHECK(server.max_requests_in_flight() <= 4);
  CHECK(server.max_open_connections() <= 4);
  CHECK(server.connections() <= 4);
  CHECK(server.max_requests_in_flight() >= 2);  // the callers did run in parallel
}

TEST_CASE("over HTTPS too: 40 callers, max_connections = 4") {
  ScriptedServer server(tests::TlsOptions(), tests::TaggedScript(milliseconds(50)));
  Options o;
  o.endpoint = server.endpoint("localhost");
  o.ca_file = TestPki::Get().ca_file;
  o.max_connections = 4;
  o.deadline = std::chrono::seconds(15) * TimeScale();
  auto client = Client::Create(o, {"api-user", Secret("api-secret")});
  REQUIRE(client.ok());
  Tally tally;
  Hammer(*client, 40, 1, tally, o.deadline);
  for (const auto& p : tally.problems) MESSAGE(p);
  CHECK(tally.ok == 40);
  CHECK(server.max_open_connections() <= 4);
  CHECK(server.handshakes_completed() <= 4);
}

TEST_CASE("max_connections = 1: callers take turns, each within its deadline") {
  ScriptedServer server(tests::TaggedScript(milliseconds(100)));
  Options o;
  o.endpoint = server.endpoint();
  o.max_connections = 1;
  o.deadline = std::chrono::seconds(5) * TimeScale();
  auto client = Client::Create(o, {"api-user", Secret("api-secret")});
  REQUIRE(client.ok());
  Tally tally;
  Hammer(*client, 6, 2, tally, o.deadline);
  for (const auto& p : tally.problems) MESSAGE(p);
  CHECK(tally.ok == 12);
  CHECK(server.max_requests_in_flight() == 1);
  CHECK(server.max_open_connections() == 1);
}

// One Client has one deadline for all its calls, and a call holds its connection at most
// until its own deadline: a later caller's deadline ends later. So the first caller is made to
// hold the only connection longer than a deadline in the one stage the deadline does not cover,
// name resolution (Options::deadline: "Name resolution is not covered"): the first lookup of the
// endpoint's name takes 3 s (tests/support/fake_resolver.h), later ones are instant. This
// assumes the connection slot is taken before the name is resolved (gSOAP resolves inside its
// connect); the waiter then times out in the queue, without sending anything.
TEST_CASE("a caller whose deadline passes while it waits for a connection: kTimeout, nothing sent") {
  const char kSlowName[] = "slow-first-lookup.brightoffice.test";
  tests::FakeResolve(kSlowName, {"127.0.0.1"}, milliseconds(3000));
  ScriptedServer server(tests::TaggedScript(milliseconds(0)));
  Options o;
  o.endpoint = std::string("http://") + kSlowName + ":" + std::to_string(server.port()) + "/Webservices/BrightOfficeAPI.asmx";
  o.max_connections = 1;
  o.deadline = milliseconds(500);
  auto created = Client::Create(o, {"api-user", Secret("api-secret")});
  REQUIRE(created.ok());
  const Client client = *created;
  std::thread holder([&client] { (void)Call(client, "holder@example.com"); });
  // Until the holder is inside its (slow) lookup, holding the only connection slot.
  const auto wait_start = Clock::now();
  while (tests::FakeLookups(kSlowName) == 0 && Clock::now() - wait_start < std::chrono::seconds(5)) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  REQUIRE(tests::FakeLookups(kSlowName) == 1);
  const auto start = Clock::now();
  auto waited = Call(client, "waiter@example.com");
  const auto elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
  holder.join();
  INFO("elapsed " << elapsed.count() << " ms: " << waited.status().ToString());
  REQUIRE_FALSE(waited.ok());
  CHECK(waited.status().kind() == ErrorKind::kTimeout);
  CHECK_FALSE(waited.status().request_may_have_been_sent());
  CHECK(elapsed >= o.deadline - milliseconds(100));
  CHECK(elapsed < o.deadline + milliseconds(500) * TimeScale());
  CHECK(tests::FakeLookups(kSlowName) == 1);  // the waiter never got as far as connecting
  for (const auto& r : server.requests()) CHECK(r.Element("Email") != "waiter@example.com");
}

TEST_CASE("max_connections = 1 and a slow server: the second caller waits its turn and succeeds") {
  ScriptedServer server(tests::TaggedScript(milliseconds(1000)));
  Options o;
  o.endpoint = server.endpoint();
  o.max_connections = 1;
  o.deadline = std::chrono::seconds(5) * TimeScale();
  auto client = Client::Create(o, {"api-user", Secret("api-secret")});
  REQUIRE(client.ok());
  std::thread first([&] { CHECK(Call(*client, "first@example.com").ok()); });
  // Until the first request has reached the server (bounded: by then the first call's deadline
  // has passed too, so the thread can be joined before the test stops).
  const auto wait_start = Clock::now();
  while (server.requests().empty() && Clock::now() - wait_start < std::chrono::seconds(5) * TimeScale()) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  if (server.requests().empty()) first.join();
  REQUIRE(server.requests().size() == 1);
  const auto start = Clock::now();
  auto second = Call(*client, "second@example.com");
  const auto elapsed = Clock::now() - start;
  first.join();
  INFO(second.status().ToString());
  REQUIRE(second.ok());
  CHECK(second->message.value_or("") == "second@example.com");
  CHECK(elapsed >= milliseconds(1500));  // it waited for the first (about 1 s), then its own
  CHECK(server.max_open_connections() == 1);
  CHECK(server.max_requests_in_flight() == 1);
}

TEST_CASE("failed calls give their connection back: max_connections = 1, failures then a success") {
  // Requests with MFA code "close" are read and the connection closed without an answer.
  ScriptedServer server([](const ScriptedRequest& r) {
    if (r.Element("MFACode") == "close") {
      ScriptedAnswer a;
      a.then = ScriptedAnswer::Then::kClose;
      return a;
    }
    return tests::TaggedAnswer(r);
  });
  Options o;
  o.endpoint = server.endpoint();
  o.max_connections = 1;
  o.deadline = std::chrono::seconds(2);
  auto client = Client::Create(o, {"api-user", Secret("api-secret")});
  REQUIRE(client.ok());
  CustomerInfo closing;
  closing.email = "x@example.com";
  closing.mfa_code = Secret("close");
  for (int i = 0; i < 5; ++i) CHECK_FALSE(client->ConfirmCustomerUserMfa(closing).ok());
  CustomerInfo bad;  // refused before sending: must not keep the slot either
  bad.email = std::string("bad\xC3@example.com");
  for (int i = 0; i < 5; ++i) CHECK_FALSE(client->ConfirmCustomerUserMfa(bad).ok());
  auto r = Call(*client, "after@example.com");
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  CHECK(r->message.value_or("") == "after@example.com");
}
