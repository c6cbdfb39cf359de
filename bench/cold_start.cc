// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// brightoffice-bench-cold-start: how long C callers that start together on a NEW client take
// until each has finished its first call (issue 13, "cold start over HTTPS").
//
//   brightoffice-bench-cold-start --client facade|raw_proxy --endpoint URL [--ca-file F]
//       [--callers C] [--repeat R] [--after-one-call] [--timeout-ms T] [--json] [--verbose]
//
// One repetition: a new client is made (facade: brightoffice::Client::Create, through the same
// factory as brightoffice-bench-load, so only the public facade API; raw_proxy: the factory of
// bench/clients.cc), then C threads wait at a barrier, are released together, and each makes
// its first call (raw_proxy: each caller constructs its own generated proxy first, which is
// where gSOAP sets up its TLS context, as a user's thread would). The figure of a repetition is
// the time from the release until the last caller has its answer. Nothing is warmed: no call is
// made on the client before the barrier, and the client is destroyed after the repetition.
//
// --after-one-call: the new client first makes one call alone (untimed: its connection, its TLS
// session and, for the facade, its pooled context then exist), and then the C callers start
// together. This shows what a second and later pooled connection costs: today a new TLS context
// (the system CA store read again) and a full TLS handshake each. (For raw_proxy the one call
// is made on a proxy that is then used by the first caller.)
// --timeout-ms: the facade's connect/I/O timeouts and deadline (for runs under valgrind, where
// 8 serialized TLS set-ups outlast the default 30 s deadline).
//
// The first repetition of the process also pays the process's one-time set-up (OpenSSL's
// initialisation, soap_ssl_init, the dynamic linker's lazy binding); it is reported apart and
// left out of the median. Prints one line per repetition on stderr with --verbose, and a
// summary (or one JSON line with --json) on stdout. Exit status 1 when any call failed.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "clients.h"

using Clock = std::chrono::steady_clock;

namespace {

[[noreturn]] void Usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s --client facade|raw_proxy --endpoint URL [--ca-file F] [--callers C]\n"
               "          [--repeat R] [--after-one-call] [--timeout-ms T] [--json] [--verbose]\n",
               argv0);
  std::exit(2);
}

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// The q-quantile of sorted values (nearest rank).
double Quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0.0;
  const size_t i = static_cast<size_t>(q * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(sorted.size() - 1, i)];
}

struct Repetition {
  double create_ms = 0;     // making the client (facade: Client::Create)
  double all_done_ms = 0;   // release of the barrier -> last caller has its answer
  double first_done_ms = 0; // release of the barrier -> first caller has its answer
  int failed = 0;
  std::string error;
};

Repetition RunOnce(const std::string& kind, const brightoffice::bench::ClientConfig& config, int callers,
                   bool after_one_call) {
  Repetition rep;
  const auto t_create = Clock::now();
  std::string error;
  auto factory = brightoffice::bench::ClientFactory::Make(kind, config, &error);
  rep.create_ms = Ms(Clock::now() - t_create);
  if (!factory) {
    rep.failed = callers;
    rep.error = error;
    return rep;
  }
  std::unique_ptr<brightoffice::bench::BenchClient> first_client;
  if (after_one_call) {
    first_client = factory->NewClient();
    if (!first_client->Call()) {
      rep.failed = 1;  // counted like a failed timed call: the repetition is void
      rep.error = first_client->LastError();
    }
  }
  std::atomic<int> waiting{0};
  std::atomic<bool> go{false};
  std::vector<Clock::time_point> done(static_cast<size_t>(callers));
  std::vector<std::string> errors(static_cast<size_t>(callers));
  std::vector<std::thread> threads;
  threads.reserve(static_cast<size_t>(callers));
  for (int t = 0; t < callers; ++t) {
    threads.emplace_back([&, t] {
      ++waiting;
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      auto client = t == 0 && first_client ? std::move(first_client) : factory->NewClient();
      if (!client->Call()) errors[static_cast<size_t>(t)] = client->LastError();
      done[static_cast<size_t>(t)] = Clock::now();
      client.reset();
    });
  }
  while (waiting.load() < callers) std::this_thread::yield();
  const auto start = Clock::now();
  go.store(true, std::memory_order_release);
  for (auto& th : threads) th.join();
  const auto last = *std::max_element(done.begin(), done.end());
  const auto first = *std::min_element(done.begin(), done.end());
  rep.all_done_ms = Ms(last - start);
  rep.first_done_ms = Ms(first - start);
  for (const auto& e : errors) {
    if (!e.empty()) {
      ++rep.failed;
      rep.error = e;
    }
  }
  return rep;  // the factory, and with it the facade's Client and its pool, ends here
}

}  // namespace

int main(int argc, char** argv) {
  std::string kind, endpoint, ca_file;
  int callers = 8, repeat = 30;
  long timeout_ms = 0;
  bool json = false, verbose = false, after_one_call = false;
  for (int i = 1; i < argc; ++i) {
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) Usage(argv[0]);
      return argv[++i];
    };
    if (!std::strcmp(argv[i], "--client")) kind = next();
    else if (!std::strcmp(argv[i], "--endpoint")) endpoint = next();
    else if (!std::strcmp(argv[i], "--ca-file")) ca_file = next();
    else if (!std::strcmp(argv[i], "--callers")) callers = std::atoi(next());
    else if (!std::strcmp(argv[i], "--repeat")) repeat = std::atoi(next());
    else if (!std::strcmp(argv[i], "--timeout-ms")) timeout_ms = std::atol(next());
    else if (!std::strcmp(argv[i], "--after-one-call")) after_one_call = true;
    else if (!std::strcmp(argv[i], "--json")) json = true;
    else if (!std::strcmp(argv[i], "--verbose")) verbose = true;
    else Usage(argv[0]);
  }
  if ((kind != "facade" && kind != "raw_proxy") || endpoint.empty() || callers < 1 || repeat < 1) Usage(argv[0]);
  std::signal(SIGPIPE, SIG_IGN);

  const brightoffice::bench::ClientConfig config{endpoint, /*keep_alive=*/true, ca_file, timeout_ms};
  std::vector<Repetition> reps;
  int failed = 0;
  std::string last_error;
  for (int r = 0; r < repeat; ++r) {
    reps.push_back(RunOnce(kind, config, callers, after_one_call));
    const Repetition& rep = reps.back();
    failed += rep.failed;
    if (!rep.error.empty()) last_error = rep.error;
    if (verbose) {
      std::fprintf(stderr, "repetition %d: create %.3f ms, first answer %.3f ms, all %d answers %.3f ms, failed %d\n",
                   r + 1, rep.create_ms, rep.first_done_ms, callers, rep.all_done_ms, rep.failed);
    }
  }
  // The first repetition carries the process's one-time set-up: apart.
  std::vector<double> all, create;
  for (size_t i = reps.size() > 1 ? 1 : 0; i < reps.size(); ++i) {
    all.push_back(reps[i].all_done_ms);
    create.push_back(reps[i].create_ms);
  }
  std::sort(all.begin(), all.end());
  std::sort(create.begin(), create.end());
  const double first_in_process = reps.front().all_done_ms;
  if (json) {
    std::string list;
    for (size_t i = reps.size() > 1 ? 1 : 0; i < reps.size(); ++i) {
      char one[32];
      std::snprintf(one, sizeof one, "%s%.3f", list.empty() ? "" : ", ", reps[i].all_done_ms);
      list += one;
    }
    std::printf("{\"client\": \"%s\", \"callers\": %d, \"after_one_call\": %s, \"repetitions\": %zu, "
                "\"failed_calls\": %d, \"first_in_process_ms\": %.3f, \"median_ms\": %.3f, \"min_ms\": %.3f, "
                "\"p25_ms\": %.3f, \"p75_ms\": %.3f, \"max_ms\": %.3f, \"create_median_ms\": %.3f, "
                "\"all_ms\": [%s]}\n",
                kind.c_str(), callers, after_one_call ? "true" : "false", all.size(), failed, first_in_process,
                Quantile(all, 0.5), all.front(), Quantile(all, 0.25), Quantile(all, 0.75), all.back(),
                Quantile(create, 0.5), list.c_str());
  } else {
    std::printf("%s, %d callers on a new client%s, %zu repetitions (+1 first in process: %.2f ms): "
                "all answered after median %.2f ms (min %.2f, p25 %.2f, p75 %.2f, max %.2f); "
                "creating the client %.3f ms; failed calls %d\n",
                kind.c_str(), callers, after_one_call ? " after one call" : "", all.size(), first_in_process,
                Quantile(all, 0.5), all.front(), Quantile(all, 0.25), Quantile(all, 0.75), all.back(),
                Quantile(create, 0.5), failed);
  }
  if (failed > 0) std::fprintf(stderr, "brightoffice-bench-cold-start: last error: %s\n", last_error.c_str());
  return failed == 0 ? 0 : 1;
}
