// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// Calls per second of one shared Client against brightoffice-mock in the same process.
//
//   build/bench/mock_throughput [--threads N] [--seconds S] [--https] [--newconn]
//
// Prints one line: transport, threads, calls, seconds, calls/s, median and p99 latency. Every
// answer is checked against its request (a wrong or failed answer ends the run with status 1).
// Client and mock share the machine's cores; pin with `taskset` to compare like with like.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "brightoffice/client.h"
#include "brightoffice/testing/mock_server.h"
#include "test_certs.h"

using namespace brightoffice;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  int threads = 1;
  double seconds = 3;
  bool https = false, newconn = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--threads") && i + 1 < argc) threads = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--seconds") && i + 1 < argc) seconds = std::atof(argv[++i]);
    else if (!std::strcmp(argv[i], "--https")) https = true;
    else if (!std::strcmp(argv[i], "--newconn")) newconn = true;
    else {
      std::fprintf(stderr, "usage: %s [--threads N] [--seconds S] [--https] [--newconn]\n", argv[0]);
      return 2;
    }
  }
  testing::MockServerOptions so;
  if (https) {
    so.tls_cert_file = tests::TestPki::Get().localhost.cert;
    so.tls_key_file = tests::TestPki::Get().localhost.key;
  }
  auto server = testing::MockServer::Start(so);
  if (!server.ok()) {
    std::fprintf(stderr, "%s\n", server.status().ToString().c_str());
    return 1;
  }
  Options o;
  o.endpoint = https ? "https://localhost:" + std::to_string((*server)->port()) + "/Webservices/BrightOfficeAPI.asmx"
                     : (*server)->endpoint();
  if (https) o.ca_file = tests::TestPki::Get().ca_file;
  o.keep_alive = !newconn;
  o.max_idle_connections = static_cast<std::size_t>(threads);
  auto client = Client::Create(o, {"api-user", Secret("api-secret")});
  if (!client.ok()) return 1;

  std::atomic<bool> stop{false}, bad{false};
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(threads));
  std::vector<std::thread> workers;
  const auto start = Clock::now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      auto& mine = latencies[static_cast<std::size_t>(t)];
      for (int i = 0; !stop; ++i) {
        CustomerInfo c;
        c.email = "t" + std::to_string(t) + "-" + std::to_string(i) + "@example.com";
        c.mfa_code = Secret("123456");
        const auto t0 = Clock::now();
        auto r = client->ConfirmCustomerUserMfa(c);
        mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        if (!r.ok() || r->message.value_or("").find(*c.email + " (") == std::string::npos) {
          std::fprintf(stderr, "bad answer: %s\n", r.ok() ? r->message.value_or("").c_str() : r.status().ToString().c_str());
          bad = true;
          stop = true;
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& w : workers) w.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  const auto at = [&](double q) { return all.empty() ? 0.0 : all[static_cast<std::size_t>(q * (all.size() - 1))]; };
  std::printf("%s_%s threads=%d calls=%zu seconds=%.2f calls_per_s=%.0f p50_ms=%.3f p99_ms=%.3f\n",
              https ? "https" : "http", newconn ? "newconn" : "keepalive", threads, all.size(), elapsed,
              static_cast<double>(all.size()) / elapsed, at(0.5), at(0.99));
  return bad ? 1 : 0;
}
