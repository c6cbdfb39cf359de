// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#include "brightoffice/proxy.h"

#include <arpa/inet.h>

#include <cstdlib>
#include <cstring>
#include <utility>

#include <openssl/crypto.h>

#include "internal/endpoint.h"

namespace brightoffice {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view Unbracket(std::string_view s) {
  if (s.size() >= 2 && s.front() == '[' && s.back() == ']') return s.substr(1, s.size() - 2);
  return s;
}

// An IP address in binary (4 or 16 bytes), or none for anything else.
struct IpAddress {
  int family = 0;  // AF_INET, AF_INET6, or 0: not an address
  unsigned char bytes[16] = {};
  std::size_t size() const { return family == AF_INET ? 4 : 16; }
};

IpAddress ParseIp(std::string_view text) {
  IpAddress ip;
  if (text.empty() || text.size() > 45) return ip;  // INET6_ADDRSTRLEN - 1
  const std::string s(text);
  if (inet_pton(AF_INET, s.c_str(), ip.bytes) == 1) {
    ip.family = AF_INET;
  } else if (inet_pton(AF_INET6, s.c_str(), ip.bytes) == 1) {
    ip.family = AF_INET6;
  }
  return ip;
}

// Whether `entry` (an address, or address/bits) names the address `host`.
bool IpEntryMatches(std::string_view entry, const IpAddress& host) {
  std::string_view address = entry;
  int bits = -1;  // the whole address
  if (const std::size_t slash = entry.find('/'); slash != std::string_view::npos) {
    const std::string_view digits = entry.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return false;
    bits = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return false;
      bits = bits * 10 + (c - '0');
    }
    address = entry.substr(0, slash);
  }
  const IpAddress network = ParseIp(Unbracket(address));
  if (network.family != host.family) return false;
  const int total = static_cast<int>(host.size()) * 8;
  if (bits < 0) bits = total;
  if (bits > total) return false;
  const int whole = bits / 8;
  if (std::memcmp(network.bytes, host.bytes, static_cast<std::size_t>(whole)) != 0) return false;
  if (const int rest = bits % 8; rest != 0) {
    const auto mask = static_cast<unsigned char>(0xff << (8 - rest));
    if ((network.bytes[whole] & mask) != (host.bytes[whole] & mask)) return false;
  }
  return true;
}

// Whether `entry` names the host name `host` (already without one trailing dot).
bool NameEntryMatches(std::string_view entry, std::string_view host) {
  if (!entry.empty() && entry.back() == '.') entry.remove_suffix(1);
  if (!entry.empty() && entry.front() == '.') entry.remove_prefix(1);
  if (entry.empty() || host.empty()) return false;
  if (entry.size() == host.size()) return IEquals(entry, host);
  if (entry.size() > host.size()) return false;
  const std::size_t start = host.size() - entry.size();
  return host[start - 1] == '.' && IEquals(entry, host.substr(start));
}

std::optional<std::string> NonEmpty(const EnvironmentLookup& env, const char* name) {
  std::optional<std::string> value = env(name);
  if (value && value->empty()) value.reset();
  return value;
}

ProxySettings FromAddress(internal::ProxyAddress address, std::string source) {
  ProxySettings out;
  out.host = std::move(address.host);
  out.port = address.port;
  out.username = std::move(address.username);
  if (address.password) out.password = std::move(*address.password);
  out.source = std::move(source);
  return out;
}

}  // namespace

std::optional<std::string> ProcessEnvironment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  return value ? std::optional<std::string>(value) : std::nullopt;
}

void ProxySettings::ApplyTo(Options& options) const {
  options.proxy_host = host;
  if (!direct()) options.proxy_port = port;
  options.proxy_username = username;
  options.proxy_password = password;
}

bool NoProxyMatches(std::string_view no_proxy, std::string_view host) {
  if (TrimBlanks(no_proxy) == "*") return true;
  host = Unbracket(host);
  const IpAddress host_ip = ParseIp(host);
  if (host_ip.family == 0 && !host.empty() && host.back() == '.') host.remove_suffix(1);
  if (host.empty()) return false;
  std::size_t pos = 0;
  while (pos < no_proxy.size()) {
    const std::size_t end = no_proxy.find_first_of(", \t", pos);
    const std::string_view entry = no_proxy.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    pos = end == std::string_view::npos ? no_proxy.size() : end + 1;
    if (entry.empty() || entry.find('*') != std::string_view::npos) continue;
    if (host_ip.family != 0 ? IpEntryMatches(entry, host_ip) : NameEntryMatches(entry, host)) return true;
  }
  return false;
}

StatusOr<ProxySettings> ProxyFromEnvironment(std::string_view endpoint, const EnvironmentLookup& env) {
  auto parsed = internal::ParseEndpoint(endpoint);
  if (!parsed.ok()) return parsed.status();
  const char* const names[2] = {parsed->https ? "https_proxy" : "http_proxy",
                                parsed->https ? "HTTPS_PROXY" : "HTTP_PROXY"};
  const char* chosen = nullptr;
  std::optional<std::string> url;
  for (const char* name : names) {
    if ((url = NonEmpty(env, name))) {
      chosen = name;
      break;
    }
  }
  if (chosen == nullptr) return ProxySettings();
  // The URL may hold a password: this copy is wiped on every way out (a ProxySettings holds
  // its own, in a Secret).
  struct Wipe {
    std::string& text;
    ~Wipe() { OPENSSL_cleanse(text.data(), text.size()); }
  } wipe{*url};
  const char* no_proxy_name = "no_proxy";
  std::optional<std::string> no_proxy = NonEmpty(env, no_proxy_name);
  if (!no_proxy) no_proxy = NonEmpty(env, no_proxy_name = "NO_PROXY");
  if (no_proxy && NoProxyMatches(*no_proxy, parsed->host)) {
    ProxySettings direct;
    direct.source = no_proxy_name;
    return direct;
  }
  auto address = internal::ParseProxyUrl(*url, /*credentials_allowed=*/true, chosen);
  if (!address.ok()) return address.status();
  return FromAddress(std::move(*address), chosen);
}

StatusOr<ProxySettings> ProxyFromUrl(std::string_view url, std::string_view what) {
  if (url.empty()) {
    ProxySettings direct;
    direct.source = std::string(what);
    return direct;
  }
  auto address = internal::ParseProxyUrl(url, /*credentials_allowed=*/false, what);
  if (!address.ok()) return address.status();
  return FromAddress(std::move(*address), std::string(what));
}

Status ApplyEnvironmentProxy(Options& options, const EnvironmentLookup& env) {
  auto settings = ProxyFromEnvironment(options.endpoint, env);
  if (!settings.ok()) return settings.status();
  settings->ApplyTo(options);
  return Status();
}

}  // namespace brightoffice
