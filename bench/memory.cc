// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// brightoffice-bench-memory: RSS and heap in use after 1,000 and after 100,000 calls in one
// process (the counts can be changed), for the facade or the raw proxy against a server.
//
//   brightoffice-bench-memory --endpoint URL [--client facade|raw_proxy] [--first 1000]
//       [--total 100000] [--json]
//
// Heap is glibc's mallinfo2(): bytes in use in the arena plus mmapped blocks. RSS is VmRSS.

#include <malloc.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "clients.h"

namespace {

long RssKiB() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

size_t HeapBytes() {
  const struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
}

}  // namespace

int main(int argc, char** argv) {
  std::string endpoint, kind = "facade";
  long first = 1000, total = 100000;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) std::exit(2);
      return argv[++i];
    };
    if (!std::strcmp(argv[i], "--endpoint")) endpoint = next();
    else if (!std::strcmp(argv[i], "--client")) kind = next();
    else if (!std::strcmp(argv[i], "--first")) first = std::atol(next());
    else if (!std::strcmp(argv[i], "--total")) total = std::atol(next());
    else if (!std::strcmp(argv[i], "--json")) json = true;
    else {
      std::fprintf(stderr, "usage: %s --endpoint URL [--client facade|raw_proxy] [--first N] [--total N] [--json]\n", argv[0]);
      return 2;
    }
  }
  if (endpoint.empty() || first < 1 || total < first) return 2;
  std::signal(SIGPIPE, SIG_IGN);
  std::string error;
  auto factory = brightoffice::bench::ClientFactory::Make(kind, {endpoint, true, ""}, &error);
  if (!factory) {
    std::fprintf(stderr, "brightoffice-bench-memory: %s\n", error.c_str());
    return 2;
  }
  auto client = factory->NewClient();
  long failures = 0;
  for (long i = 0; i < first; ++i) failures += client->Call() ? 0 : 1;
  const long rss1 = RssKiB();
  const size_t heap1 = HeapBytes();
  for (long i = first; i < total; ++i) failures += client->Call() ? 0 : 1;
  const long rss2 = RssKiB();
  const size_t heap2 = HeapBytes();
  if (json) {
    std::printf("{\"client\": \"%s\", \"calls_first\": %ld, \"calls_total\": %ld, \"failures\": %ld, "
                "\"rss_kib_first\": %ld, \"rss_kib_total\": %ld, \"heap_bytes_first\": %zu, \"heap_bytes_total\": %zu}\n",
                kind.c_str(), first, total, failures, rss1, rss2, heap1, heap2);
  } else {
    std::printf("%s: after %ld calls RSS %ld KiB heap %zu B; after %ld calls RSS %ld KiB heap %zu B "
                "(growth %+ld KiB RSS, %+lld B heap); failures %ld\n",
                kind.c_str(), first, rss1, heap1, total, rss2, heap2, rss2 - rss1,
                static_cast<long long>(heap2) - static_cast<long long>(heap1), failures);
  }
  if (failures) std::fprintf(stderr, "brightoffice-bench-memory: last error: %s\n", client->LastError().c_str());
  return failures == 0 ? 0 : 1;
}
