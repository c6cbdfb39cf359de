// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_TESTS_FAKE_RESOLVER_H
#define BRIGHTOFFICE_TESTS_FAKE_RESOLVER_H

// Made-up host names for tests, without /etc/hosts and without a hook in the library: the
// program that links fake_resolver.cc (any test calling FakeResolve) defines getaddrinfo()
// itself, interposing on the C library's (gSOAP calls it by name; the test target needs
// ENABLE_EXPORTS so that the dynamic linker sees the program's definition first). Names given
// to FakeResolve resolve to the given IPv4 addresses, in order; every other name goes to the C
// library's getaddrinfo.

#include <chrono>
#include <string>
#include <vector>

namespace brightoffice::tests {

/// From now on `name` resolves to `addresses` (IPv4, e.g. 127.0.0.2: all of 127/8 is
/// loopback). The first lookup of it sleeps `first_lookup_delay` before answering (name
/// resolution is outside the library's deadline); later ones answer at once.
void FakeResolve(const std::string& name, const std::vector<std::string>& addresses,
                 std::chrono::milliseconds first_lookup_delay = std::chrono::milliseconds(0));

/// How many times `name` was looked up through FakeResolve's getaddrinfo.
int FakeLookups(const std::string& name);

}  // namespace brightoffice::tests

#endif  // BRIGHTOFFICE_TESTS_FAKE_RESOLVER_H
