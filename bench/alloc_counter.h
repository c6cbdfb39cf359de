// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_BENCH_ALLOC_COUNTER_H
#define BRIGHTOFFICE_BENCH_ALLOC_COUNTER_H

// Counts heap allocations of the whole process: alloc_counter.cc replaces malloc, calloc and
// realloc with wrappers around glibc's own (__libc_malloc ...), so operator new (which calls
// malloc in libstdc++) and gSOAP's soap_malloc are both counted.

#include <cstddef>

namespace brightoffice::bench {

struct AllocCounts {
  std::size_t calls = 0;  // malloc + calloc + realloc
  std::size_t bytes = 0;
};

AllocCounts CurrentAllocs();

}  // namespace brightoffice::bench

#endif  // BRIGHTOFFICE_BENCH_ALLOC_COUNTER_H
