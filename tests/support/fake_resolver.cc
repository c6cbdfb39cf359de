// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#include "fake_resolver.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>

namespace brightoffice::tests {
namespace {

struct FakeName {
  std::vector<std::string> addresses;
  std::chrono::milliseconds first_delay{0};
  int lookups = 0;
};

std::mutex& Mu() {
  static std::mutex mu;
  return mu;
}

std::map<std::string, FakeName>& Names() {
  static std::map<std::string, FakeName> names;
  return names;
}

}  // namespace

void FakeResolve(const std::string& name, const std::vector<std::string>& addresses,
                 std::chrono::milliseconds first_lookup_delay) {
  std::lock_guard<std::mutex> lock(Mu());
  Names()[name] = FakeName{addresses, first_lookup_delay, 0};
}

int FakeLookups(const std::string& name) {
  std::lock_guard<std::mutex> lock(Mu());
  auto it = Names().find(name);
  return it == Names().end() ? 0 : it->second.lookups;
}

}  // namespace brightoffice::tests

// The C library's getaddrinfo for every name FakeResolve does not know. The list is allocated
// as glibc allocates its own (each addrinfo and its address in one block, no canonical name),
// so glibc's freeaddrinfo() frees it.
extern "C" int getaddrinfo(const char* node, const char* service, const struct addrinfo* hints,
                           struct addrinfo** res) {
  using Fn = int (*)(const char*, const char*, const struct addrinfo*, struct addrinfo**);
  static const Fn real = reinterpret_cast<Fn>(dlsym(RTLD_NEXT, "getaddrinfo"));
  using brightoffice::tests::FakeName;
  std::vector<std::string> addresses;
  std::chrono::milliseconds delay{0};
  {
    std::lock_guard<std::mutex> lock(brightoffice::tests::Mu());
    auto it = node != nullptr ? brightoffice::tests::Names().find(node) : brightoffice::tests::Names().end();
    if (it == brightoffice::tests::Names().end()) {
      return real(node, service, hints, res);
    }
    FakeName& name = it->second;
    if (name.lookups++ == 0) delay = name.first_delay;
    addresses = name.addresses;
  }
  if (delay.count() > 0) std::this_thread::sleep_for(delay);
  if (hints != nullptr && hints->ai_family != AF_UNSPEC && hints->ai_family != AF_INET) return EAI_FAMILY;
  const int port = service != nullptr ? std::atoi(service) : 0;
  addrinfo* head = nullptr;
  addrinfo** tail = &head;
  for (const std::string& address : addresses) {
    void* block = std::calloc(1, sizeof(addrinfo) + sizeof(sockaddr_in));
    if (block == nullptr) break;
    auto* ai = static_cast<addrinfo*>(block);
    auto* sin = reinterpret_cast<sockaddr_in*>(static_cast<char*>(block) + sizeof(addrinfo));
    sin->sin_family = AF_INET;
    sin->sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, address.c_str(), &sin->sin_addr);
    ai->ai_family = AF_INET;
    ai->ai_socktype = SOCK_STREAM;
    ai->ai_protocol = IPPROTO_TCP;
    ai->ai_addrlen = sizeof(sockaddr_in);
    ai->ai_addr = reinterpret_cast<sockaddr*>(sin);
    *tail = ai;
    tail = &ai->ai_next;
  }
  if (head == nullptr) return EAI_NONAME;
  *res = head;
  return 0;
}
