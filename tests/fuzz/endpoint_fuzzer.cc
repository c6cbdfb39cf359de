// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// libFuzzer target for the one URL parser (issue 11, class 1): any bytes given to ParseEndpoint
// are refused (kInvalidArgument with a message), or accepted as an endpoint that keeps every
// promise of internal/endpoint.h - at most kMaxEndpointLength characters, printable ASCII, no
// '@', a non-empty host, a port of 1-65535, a path starting with '/' - whose canonical form
// parses to the same value again and is read by gSOAP's own URL reading as the same host, port
// and path (tests/support/endpoint_roundtrip.h). ParseProxyUrl gets the bytes as they are and
// as the password of "http://user:<password>@<rest>": it never crashes, never accepts
// credentials it was told not to, and its message never quotes the password.
//   tests/fuzz/run.sh [BUILD_DIR] [SECONDS] endpoint_fuzzer

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "endpoint_roundtrip.h"
#include "internal/endpoint.h"

using brightoffice::ErrorKind;
using brightoffice::internal::Endpoint;
using brightoffice::internal::kMaxEndpointLength;
using brightoffice::internal::ParseEndpoint;
using brightoffice::internal::ParseProxyUrl;
using brightoffice::internal::ValidateProxyHost;

namespace {

[[noreturn]] void Fail(const char* what, std::string_view input) {
  std::fprintf(stderr, "endpoint_fuzzer: %s for input of %zu bytes\n", what, input.size());
  std::abort();
}

bool SameValue(const Endpoint& a, const Endpoint& b) {
  return a.https == b.https && a.host == b.host && a.ipv6 == b.ipv6 && a.port == b.port &&
         a.path_and_query == b.path_and_query;
}

void CheckEndpoint(std::string_view text) {
  auto e = ParseEndpoint(text);
  if (!e.ok()) {
    if (e.status().kind() != ErrorKind::kInvalidArgument) Fail("a refusal that is not invalid_argument", text);
    if (e.status().message().empty()) Fail("a refusal without a message", text);
    return;
  }
  if (text.size() > kMaxEndpointLength) Fail("an endpoint longer than kMaxEndpointLength accepted", text);
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) Fail("a space, control character or non-ASCII byte accepted", text);
    if (c == '@') Fail("an '@' accepted", text);
    if (c == '#') Fail("a fragment accepted", text);
  }
  if (e->host.empty()) Fail("an empty host accepted", text);
  if (e->port < 1 || e->port > 65535) Fail("a port outside 1-65535 accepted", text);
  if (e->path_and_query.empty() || e->path_and_query[0] != '/') Fail("a path not starting with '/'", text);
  const std::string canonical = e->ToString();
  if (canonical.size() > kMaxEndpointLength) Fail("a canonical form longer than kMaxEndpointLength", text);
  auto again = ParseEndpoint(canonical);
  if (!again.ok() || !SameValue(*e, *again) || again->ToString() != canonical) {
    Fail("the canonical form does not parse to the same value", text);
  }
  if (!brightoffice::testing::GsoapReadsAsParsed(*e)) Fail("gSOAP reads the canonical form differently", text);
}

std::string PercentDecoded(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto hex = [](char c) {
      return (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
    };
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

void CheckProxy(std::string_view text, std::string_view password) {
  for (bool allowed : {false, true}) {
    auto p = ParseProxyUrl(text, allowed, "HTTPS_PROXY");
    if (p.ok()) {
      if (p->host.empty()) Fail("a proxy without a host accepted", text);
      if (p->port < 1 || p->port > 65535) Fail("a proxy port outside 1-65535 accepted", text);
      if (!allowed && (p->password.has_value() || !p->username.empty())) Fail("credentials accepted where not allowed", text);
      if (!ValidateProxyHost(p->ipv6 ? "[" + p->host + "]" : p->host).ok()) Fail("an accepted proxy host fails ValidateProxyHost", text);
      continue;
    }
    if (p.status().kind() != ErrorKind::kInvalidArgument) Fail("a proxy refusal that is not invalid_argument", text);
    const std::string& message = p.status().message();
    // A password is recognisable from 4 characters on (shorter ones are words of any message).
    if (password.size() >= 4) {
      if (message.find(password) != std::string::npos) Fail("the message quotes the proxy password", text);
      const std::string decoded = PercentDecoded(password);
      if (decoded.size() >= 4 && message.find(decoded) != std::string::npos) {
        Fail("the message quotes the decoded proxy password", text);
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  CheckEndpoint(input);
  (void)ValidateProxyHost(input);
  // The input as a proxy URL: the promises, without a password check (which part of arbitrary
  // bytes is "the password" is a guess, and a guessed "ttp:/" is in every message naming the
  // form "http://host:port").
  CheckProxy(input, std::string_view());
  // The input split at its first NUL (or in the middle) into a password and the rest of a URL
  // with credentials; the password marked so that it cannot be a word of a message.
  std::size_t cut = input.find('\0');
  if (cut == std::string_view::npos) cut = size / 2;
  const std::string marked = "Pw" + std::string(input.substr(0, cut)) + "9Q";
  const std::string_view rest = cut < size ? input.substr(cut + 1) : std::string_view();
  const std::string url = "http://proxyuser:" + marked + "@" + std::string(rest);
  CheckProxy(url, marked);
  return 0;
}
