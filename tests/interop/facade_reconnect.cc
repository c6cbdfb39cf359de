// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// Interop check of the facade (brightoffice::Client) against a real ASMX service.
//
//   interop-facade-reconnect ENDPOINT
//
// One Client (keep-alive on, as by default) makes every call below, so the same pool of
// connections sees what an ASMX server on Mono does to connections:
//   - it closes the connection after every fault (HTTP 500): the next call must reconnect
//     cleanly and must not fail or be answered by anything stale;
//   - a call that times out leaves a connection with an answer still on its way: that
//     connection must be dropped, never read by the next call (which would then see the late
//     SUCCESS of the timed-out call instead of its own answer);
//   - it closes a connection after 100 answers, and an idle one after 15 s;
//   - several threads share the Client at once.
// Prints one line per case and "N passed, N failed"; exits 1 when any case failed.

#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "brightoffice/client.h"

namespace {

int g_passed = 0;
int g_failed = 0;

void Check(const std::string& name, bool ok, const std::string& detail) {
  if (ok) {
    ++g_passed;
    std::cout << "PASS " << name << "\n";
  } else {
    ++g_failed;
    std::cout << "FAIL " << name << ": " << detail << "\n";
  }
  std::cout.flush();
}

std::string Describe(const brightoffice::StatusOr<brightoffice::ServiceResult>& r) {
  if (!r.ok()) {
    const auto& s = r.status();
    return "failure " + std::string(brightoffice::ToString(s.kind())) + ": " + s.message() +
           " (http " + std::to_string(s.http_status()) + ", fault code '" + s.fault_code() + "')";
  }
  return "result " + r->raw_code + " '" + r->message.value_or("<absent>") + "' exceptionMessage '" +
         r->exception_message.value_or("<absent>") + "' isSystemError " + (r->is_system_error ? "true" : "false");
}

brightoffice::CustomerInfo Customer(const std::string& email, const std::string& code) {
  brightoffice::CustomerInfo c;
  c.id = *brightoffice::Guid::Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
  c.email = email;
  c.mfa_code = brightoffice::Secret(code);
  return c;
}

bool IsResult(const brightoffice::StatusOr<brightoffice::ServiceResult>& r, const std::string& code,
              const std::string& message) {
  return r.ok() && r->raw_code == code && r->message == message && r->exception_message == std::string() &&
         !r->is_system_error;
}

const std::string kConfirmed =
    "MFA confirmed for jane@example.com (3f2504e0-4f89-11d3-9a0c-0305e82c3301) newpw=no tmppw=no";

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: interop-facade-reconnect ENDPOINT\n";
    return 2;
  }
  for (auto version : {brightoffice::SoapVersion::kSoap11, brightoffice::SoapVersion::kSoap12}) {
    const std::string v = version == brightoffice::SoapVersion::kSoap11 ? "soap1.1" : "soap1.2";
    brightoffice::Options options;
    options.endpoint = argv[1];
    options.soap_version = version;
    options.deadline = std::chrono::seconds(20);
    options.io_timeout = std::chrono::seconds(20);
    auto client = brightoffice::Client::Create(options, {"api-user", brightoffice::Secret("api-secret")});
    if (!client.ok()) {
      Check(v + " create client", false, client.status().ToString());
      continue;
    }
    auto r1 = client->ConfirmCustomerUserMfa(Customer("jane@example.com", "123456"));
    Check(v + " first call SUCCESS", IsResult(r1, "SUCCESS", kConfirmed), Describe(r1));
    auto r2 = client->ConfirmCustomerUserMfa(Customer("jane@example.com", "654321"));
    Check(v + " second call (kept-alive connection) OTHER", IsResult(r2, "OTHER", "Invalid MFA code"), Describe(r2));

    // Fault: ASMX answers 500 and closes the connection; then the same Client goes on.
    for (int round = 1; round <= 3; ++round) {
      auto f = client->ConfirmCustomerUserMfa(Customer("jane@example.com", "boom"));
      const bool fault_ok = !f.ok() && f.status().kind() == brightoffice::ErrorKind::kSoapFault &&
                            f.status().http_status() == 500 &&
                            f.status().fault_string().find("Simulated server failure") != std::string::npos &&
                            f.status().fault_string().find("boom") == std::string::npos;
      Check(v + " fault " + std::to_string(round) + " is soap_fault/500 with the code masked", fault_ok, Describe(f));
      auto after = client->ConfirmCustomerUserMfa(Customer("jane@example.com", "123456"));
      Check(v + " same Client after fault " + std::to_string(round) + " (server closed the connection) SUCCESS",
            IsResult(after, "SUCCESS", kConfirmed), Describe(after));
    }

    // Timeout: the slow answer (5 s) arrives late on the abandoned connection.
    {
      brightoffice::Options short_options = options;
      short_options.deadline = std::chrono::seconds(1);
      auto short_client = brightoffice::Client::Create(short_options, {"api-user", brightoffice::Secret("api-secret")});
      auto warm = short_client->ConfirmCustomerUserMfa(Customer("jane@example.com", "654321"));
      Check(v + " 1 s client: warm-up call OTHER", IsResult(warm, "OTHER", "Invalid MFA code"), Describe(warm));
      const auto start = std::chrono::steady_clock::now();
      auto t = short_client->ConfirmCustomerUserMfa(Customer("jane@example.com", "slow"));
      const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      Check(v + " slow call with a 1 s deadline is a timeout within 2 s",
            !t.ok() && t.status().kind() == brightoffice::ErrorKind::kTimeout && took < 2.0,
            Describe(t) + " after " + std::to_string(took) + " s");
      // Let the late SUCCESS of the slow call arrive, then call again on the same Client.
      std::this_thread::sleep_for(std::chrono::milliseconds(4800));
      auto next = short_client->ConfirmCustomerUserMfa(Customer("jane@example.com", "654321"));
      Check(v + " same Client after the timeout gets its own answer (OTHER), not the late SUCCESS",
            IsResult(next, "OTHER", "Invalid MFA code"), Describe(next));
    }

    // Mono's listener closes a connection after its 100th response (Keep-Alive: max=100).
    {
      int wrong = 0;
      std::string first_wrong;
      for (int i = 0; i < 130; ++i) {
        auto r = client->ConfirmCustomerUserMfa(Customer("jane@example.com", "123456"));
        if (!IsResult(r, "SUCCESS", kConfirmed) && wrong++ == 0) first_wrong = "call " + std::to_string(i + 1) + ": " + Describe(r);
      }
      Check(v + " 130 calls in a row on one Client (the server closes a connection after 100 answers)", wrong == 0,
            std::to_string(wrong) + " wrong, first: " + first_wrong);
    }

    // The server drops a connection idle for 15 s; a Client that keeps idle connections longer
    // than that must notice the close instead of failing the next call.
    if (version == brightoffice::SoapVersion::kSoap11) {
      brightoffice::Options idle_options = options;
      idle_options.max_idle_time = std::chrono::seconds(120);
      auto idle_client = brightoffice::Client::Create(idle_options, {"api-user", brightoffice::Secret("api-secret")});
      auto before = idle_client->ConfirmCustomerUserMfa(Customer("jane@example.com", "123456"));
      Check(v + " idle test: first call SUCCESS", IsResult(before, "SUCCESS", kConfirmed), Describe(before));
      std::this_thread::sleep_for(std::chrono::milliseconds(16500));
      auto after = idle_client->ConfirmCustomerUserMfa(Customer("jane@example.com", "123456"));
      Check(v + " call after 16.5 s idle (the server closed the pooled connection) SUCCESS",
            IsResult(after, "SUCCESS", kConfirmed), Describe(after));
    }

    // Several threads share one Client, with faults in between.
    {
      std::atomic<int> bad{0};
      std::string first_bad;
      std::mutex m;
      std::vector<std::thread> threads;
      for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
          for (int i = 0; i < 10; ++i) {
            const bool fault = (i + t) % 5 == 0;
            const std::string email = "user" + std::to_string(t) + "." + std::to_string(i) + "@example.com";
            auto r = client->ConfirmCustomerUserMfa(Customer(email, fault ? "boom" : "123456"));
            bool ok;
            if (fault) {
              ok = !r.ok() && r.status().kind() == brightoffice::ErrorKind::kSoapFault;
            } else {
              ok = IsResult(r, "SUCCESS", "MFA confirmed for " + email +
                                              " (3f2504e0-4f89-11d3-9a0c-0305e82c3301) newpw=no tmppw=no");
            }
            if (!ok) {
              std::lock_guard<std::mutex> lock(m);
              if (bad++ == 0) first_bad = email + ": " + Describe(r);
            }
          }
        });
      }
      for (auto& th : threads) th.join();
      Check(v + " 4 threads x 10 calls on one Client (every 5th a fault) each get their own answer", bad == 0,
            std::to_string(bad.load()) + " wrong, first: " + first_bad);
    }
  }
  std::cout << g_passed << " passed, " << g_failed << " failed\n";
  return g_failed == 0 ? 0 : 1;
}
