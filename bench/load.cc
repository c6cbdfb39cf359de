// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// brightoffice-bench-load: N calls with C concurrent callers against a server; prints calls per
// second and p50/p99 latency.
//
//   brightoffice-bench-load --client facade|raw_proxy|raw_socket --endpoint URL
//       [--concurrency C] [--calls N] [--seconds S] [--warmup W] [--newconn] [--ca-file F] [--json]
//
// Each caller has its own client object (facade callers share one brightoffice::Client, as
// its documentation intends). The run stops after N calls in all or after S seconds, whichever
// comes first; each caller makes W untimed calls first (connection set-up, first allocations).

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "clients.h"

using Clock = std::chrono::steady_clock;

namespace {

[[noreturn]] void Usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s --client facade|raw_proxy|raw_socket --endpoint URL [--concurrency C]\n"
               "          [--calls N] [--seconds S] [--warmup W] [--newconn] [--ca-file F] [--json]\n",
               argv0);
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  std::string kind, endpoint, ca_file;
  int concurrency = 1, warmup = 50;
  long calls = 20000;
  double seconds = 2.0;
  bool newconn = false, json = false;
  for (int i = 1; i < argc; ++i) {
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) Usage(argv[0]);
      return argv[++i];
    };
    if (!std::strcmp(argv[i], "--client")) kind = next();
    else if (!std::strcmp(argv[i], "--endpoint")) endpoint = next();
    else if (!std::strcmp(argv[i], "--concurrency")) concurrency = std::atoi(next());
    else if (!std::strcmp(argv[i], "--calls")) calls = std::atol(next());
    else if (!std::strcmp(argv[i], "--seconds")) seconds = std::atof(next());
    else if (!std::strcmp(argv[i], "--warmup")) warmup = std::atoi(next());
    else if (!std::strcmp(argv[i], "--ca-file")) ca_file = next();
    else if (!std::strcmp(argv[i], "--newconn")) newconn = true;
    else if (!std::strcmp(argv[i], "--json")) json = true;
    else Usage(argv[0]);
  }
  if (kind.empty() || endpoint.empty() || concurrency < 1 || calls < 1) Usage(argv[0]);
  std::signal(SIGPIPE, SIG_IGN);

  brightoffice::bench::ClientConfig config{endpoint, !newconn, ca_file};
  std::string error;
  auto factory = brightoffice::bench::ClientFactory::Make(kind, config, &error);
  if (!factory) {
    std::fprintf(stderr, "brightoffice-bench-load: %s\n", error.c_str());
    return 2;
  }

  std::atomic<long> budget{calls};
  std::atomic<long> errors{0};
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::vector<double>> latencies(concurrency);
  std::vector<std::string> last_error(concurrency);
  std::vector<std::thread> threads;
  Clock::time_point start, stop_at;
  for (int t = 0; t < concurrency; ++t) {
    threads.emplace_back([&, t] {
      auto client = factory->NewClient();
      for (int w = 0; w < warmup; ++w) {
        if (!client->Call()) last_error[t] = client->LastError();
      }
      ++ready;
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      auto& lat = latencies[t];
      lat.reserve(static_cast<size_t>(calls / concurrency + 1));
      while (budget.fetch_sub(1, std::memory_order_relaxed) > 0) {
        const auto t0 = Clock::now();
        if (t0 >= stop_at) break;
        if (!client->Call()) {
          ++errors;
          last_error[t] = client->LastError();
        }
        lat.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      }
    });
  }
  while (ready.load() < concurrency) std::this_thread::yield();
  start = Clock::now();
  stop_at = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  go.store(true, std::memory_order_release);
  for (auto& th : threads) th.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();

  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) {
    if (all.empty()) return 0.0;
    return all[std::min(all.size() - 1, static_cast<size_t>(p * static_cast<double>(all.size())))];
  };
  const double rate = static_cast<double>(all.size()) / elapsed;
  std::string err;
  for (auto& e : last_error) {
    if (!e.empty()) err = e;
  }
  if (json) {
    std::printf("{\"client\": \"%s\", \"concurrency\": %d, \"keep_alive\": %s, \"calls\": %zu, \"errors\": %ld, "
                "\"seconds\": %.3f, \"calls_per_s\": %.1f, \"p50_ms\": %.4f, \"p99_ms\": %.4f}\n",
                kind.c_str(), concurrency, newconn ? "false" : "true", all.size(), errors.load(), elapsed, rate,
                pct(0.50), pct(0.99));
  } else {
    std::printf("%s %s concurrency=%d: %zu calls in %.3f s, %.1f calls/s, p50 %.3f ms, p99 %.3f ms, errors %ld\n",
                kind.c_str(), newconn ? "newconn" : "keepalive", concurrency, all.size(), elapsed, rate, pct(0.50),
                pct(0.99), errors.load());
  }
  if (!err.empty()) std::fprintf(stderr, "brightoffice-bench-load: last error: %s\n", err.c_str());
  return errors.load() == 0 && !all.empty() ? 0 : 1;
}
