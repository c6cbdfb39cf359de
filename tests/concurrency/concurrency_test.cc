// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// Many threads share one Client against the in-process mock, over HTTP and HTTPS: every call
// must get its own answer (the mock's SUCCESS message echoes the request's e-mail and id), no
// call may fail, and the mock must have answered exactly as many requests as were made.
// Built a second time with ThreadSanitizer (ctest label `tsan`, tests/tsan/run.sh).
//
// BRIGHTOFFICE_CALLS_PER_THREAD overrides the number of calls per thread (default 500).

#include <doctest/doctest.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "brightoffice/client.h"
#include "brightoffice/testing/mock_server.h"
#include "test_certs.h"

using namespace brightoffice;
using brightoffice::testing::MockServer;
using brightoffice::testing::MockServerOptions;

namespace {

constexpr int kThreads = 16;

int CallsPerThread(int default_calls) {
  const char* v = std::getenv("BRIGHTOFFICE_CALLS_PER_THREAD");
  const int n = v ? std::atoi(v) : 0;
  return n > 0 ? n : default_calls;
}

// A distinct id per call: the thread and call numbers in the last group.
Guid IdOf(int thread, int call) {
  char text[40];
  std::snprintf(text, sizeof text, "3f2504e0-4f89-11d3-9a0c-%04x%08x", thread, call);
  return *Guid::Parse(text);
}

struct Outcome {
  std::atomic<int> ok{0};
  std::atomic<int> failed{0};
  std::atomic<int> mismatched{0};
  std::string first_problem;
  std::mutex mu;
  void Problem(const std::string& what) {
    std::lock_guard<std::mutex> lock(mu);
    if (first_problem.empty()) first_problem = what;
  }
};

void Hammer(const Client& client, int calls_per_thread, Outcome& outcome) {
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < calls_per_thread; ++i) {
        CustomerInfo c;
        c.id = IdOf(t, i);
        c.email = "t" + std::to_string(t) + "-c" + std::to_string(i) + "@example.com";
        c.mfa_code = Secret("123456");
        auto r = client.ConfirmCustomerUserMfa(c);
        if (!r.ok()) {
          ++outcome.failed;
          outcome.Problem(r.status().ToString());
          continue;
        }
        const std::string expected =
            "MFA confirmed for " + *c.email + " (" + c.id.ToString() + ") newpw=no tmppw=no";
        if (r->succeeded() && r->message == expected) {
          ++outcome.ok;
        } else {
          ++outcome.mismatched;
          outcome.Problem("expected '" + expected + "', got " + r->raw_code + " '" + r->message.value_or("") + "'");
        }
      }
    });
  }
  for (auto& th : threads) th.join();
}

// Starts a mock with `server_options`, points a Client at it (HTTPS: https://localhost and the
// test CA) and hammers it from kThreads threads.
void Run(const MockServerOptions& server_options, int calls_per_thread, std::size_t idle_connections = kThreads) {
  auto server = MockServer::Start(server_options);
  INFO(server.status().ToString());
  REQUIRE(server.ok());
  Options options;
  options.endpoint = (*server)->endpoint();
  if (!server_options.tls_cert_file.empty()) {
    options.endpoint = "https://localhost:" + std::to_string((*server)->port()) + "/Webservices/BrightOfficeAPI.asmx";
    options.ca_file = tests::TestPki::Get().ca_file;
  }
  options.max_idle_connections = idle_connections;
  options.deadline = std::chrono::seconds(60);
  auto client = Client::Create(options, {"api-user", Secret("api-secret")});
  REQUIRE(client.ok());
  Outcome outcome;
  Hammer(*client, calls_per_thread, outcome);
  INFO(outcome.first_problem);
  CHECK(outcome.failed == 0);
  CHECK(outcome.mismatched == 0);
  CHECK(outcome.ok == kThreads * calls_per_thread);
  CHECK((*server)->requests_answered() == static_cast<std::size_t>(kThreads * calls_per_thread));
}

}  // namespace

TEST_CASE("16 threads x 500 calls share one Client over HTTP: every answer matches its request") {
  Run(MockServerOptions{}, CallsPerThread(500));
}

TEST_CASE("16 threads share one Client over HTTPS: every answer matches its request") {
  MockServerOptions tls;
  tls.tls_cert_file = tests::TestPki::Get().localhost.cert;
  tls.tls_key_file = tests::TestPki::Get().localhost.key;
  Run(tls, CallsPerThread(500) / 5);
}

TEST_CASE("16 threads on a pool that keeps only 2 idle connections: constant opening and closing") {
  Run(MockServerOptions{}, CallsPerThread(500) / 5, 2);
}

TEST_CASE("copies of a Client share its pool across threads") {
  auto server = MockServer::Start();
  REQUIRE(server.ok());
  Options options;
  options.endpoint = (*server)->endpoint();
  auto client = Client::Create(options, {"api-user", Secret("api-secret")});
  REQUIRE(client.ok());
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([copy = *client, t, &ok] {
      for (int i = 0; i < 20; ++i) {
        CustomerInfo c;
        c.id = IdOf(t, i);
        c.email = "copy" + std::to_string(t) + "@example.com";
        c.mfa_code = Secret("123456");
        auto r = copy.ConfirmCustomerUserMfa(c);
        if (r.ok() && r->message.value_or("").find(*c.email) != std::string::npos) ++ok;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(ok == 80);
}
