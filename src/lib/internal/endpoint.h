// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_INTERNAL_ENDPOINT_H
#define BRIGHTOFFICE_INTERNAL_ENDPOINT_H

// The one parser of URLs in the library: service endpoints, and the proxy URLs of the
// environment. An endpoint is parsed exactly once into an Endpoint value; gSOAP is given only
// Endpoint::ToString(), a canonical form that gSOAP's own URL reading (soap_set_endpoint) takes
// apart into the very same host, port and path (tests/unit/endpoint_test.cc proves it for every
// accepted input of its table and of the fuzzer tests/fuzz/endpoint_fuzzer.cc).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "brightoffice/secret.h"
#include "brightoffice/status.h"

namespace brightoffice::internal {

/// The longest endpoint gSOAP carries intact: it copies an endpoint into a buffer of
/// SOAP_TAGLEN (1024) bytes, NUL included, and cuts longer ones short without a word
/// (measured in tests/integration/endpoint_wire_test.cc: 1023 characters reach the request line
/// whole). Longer endpoints are refused.
inline constexpr std::size_t kMaxEndpointLength = 1023;

/// A parsed http:// or https:// URL.
struct Endpoint {
  bool https = false;
  /// Lower case. A name ([A-Za-z0-9_-] labels separated by dots), a dotted-quad IPv4 address,
  /// or an IPv6 address (without its brackets; see ipv6).
  std::string host;
  bool ipv6 = false;
  int port = 0;  ///< 1..65535; 80 or 443 when the URL has none.
  /// The path and query, starting with '/' ("/" when the URL has no path).
  std::string path_and_query;

  /// The canonical form handed to gSOAP: scheme in lower case, host, ":port" unless it is the
  /// scheme's default, path and query.
  std::string ToString() const;
  /// "host:port" (IPv6 in brackets), as in a CONNECT request or a Host header.
  std::string Authority() const;
};

/// Parses a service endpoint: scheme http or https in any case, "://", a non-empty host (name,
/// IPv4 in dotted-quad form, or IPv6 in brackets), an optional port of decimal digits only
/// (1-65535), and an optional path and query made of the characters RFC 3986 allows there, with
/// '%' only as the start of a %XX escape. No user info ('@' anywhere), no fragment ('#'), only
/// printable ASCII, at most kMaxEndpointLength characters. Anything else is kInvalidArgument
/// with a message that says what is wrong (quoting at most the scheme, never the rest).
StatusOr<Endpoint> ParseEndpoint(std::string_view text);

/// A proxy named by an environment variable or an option.
struct ProxyAddress {
  std::string host;  ///< As in Endpoint::host.
  bool ipv6 = false;
  int port = 80;     ///< 80 when the URL has none.
  std::string username;          ///< Percent-decoded; empty when the URL has none.
  std::optional<Secret> password;  ///< Percent-decoded; absent when the URL has none.
};

/// Parses a proxy URL "[http://][user[:password]@]host[:port][/]": scheme http only (in any
/// case) or none, user info percent-decoded and only when `credentials_allowed`, host and port
/// by the same rules as ParseEndpoint. `what` names the source in messages ("HTTPS_PROXY",
/// "--proxy"). The message never quotes the URL (it may carry a password).
StatusOr<ProxyAddress> ParseProxyUrl(std::string_view text, bool credentials_allowed, std::string_view what);

/// OK when `host` is acceptable as Options::proxy_host: a host by the rules of ParseEndpoint,
/// IPv6 with or without brackets.
Status ValidateProxyHost(std::string_view host);

}  // namespace brightoffice::internal

#endif  // BRIGHTOFFICE_INTERNAL_ENDPOINT_H
