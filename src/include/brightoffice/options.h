// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_OPTIONS_H
#define BRIGHTOFFICE_OPTIONS_H

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "brightoffice/secret.h"

namespace brightoffice {

/// Which SOAP binding of the service to use.
enum class SoapVersion {
  kSoap11,  ///< text/xml with a SOAPAction header (the help page's first binding; default).
  kSoap12,  ///< application/soap+xml.
};

/// How a Connection reaches the service. A plain struct: every field has a safe default and
/// can be set directly. The API credentials are passed apart (see ApiCredentials); the one
/// secret here, proxy_password, is a Secret and cannot be printed.
struct Options {
  /// The service address, e.g. "https://crm.example.co.uk/Webservices/BrightOfficeAPI.asmx".
  /// Required. Parsed once, strictly: scheme http or https (any letter case), a non-empty host
  /// (a name, a dotted-quad IPv4 address or an IPv6 address in brackets), an optional port of
  /// decimal digits from 1 to 65535, and a path and query of the characters RFC 3986 allows
  /// there ('%' only in %XX escapes: percent-encoding is the caller's job). No user name or
  /// password ('@' anywhere), no fragment ('#'), only printable ASCII, and at most 1023
  /// characters: gSOAP copies an endpoint into a 1024-byte buffer and cuts a longer one short.
  /// Anything else is ErrorKind::kInvalidArgument from MakeConnection(), saying what is wrong.
  std::string endpoint;

  /// The binding to use: SOAP 1.1 (text/xml, SOAPAction) by default, or SOAP 1.2.
  SoapVersion soap_version = SoapVersion::kSoap11;

  /// Time allowed to establish the TCP connection to one address of the host (the TLS
  /// handshake then runs under io_timeout and the deadline). Every duration here must be above
  /// zero and at most 24 hours (kInvalidArgument otherwise).
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  /// Longest wait for any single send or receive to make progress.
  std::chrono::milliseconds io_timeout{std::chrono::seconds(30)};
  /// Overall limit for one call, counted from the moment the call is made: waiting for a free
  /// connection (see max_connections), connect (every address of the host together), a
  /// proxy's CONNECT, the TLS handshake, send and receive. Name resolution is not covered (the
  /// system resolver cannot be interrupted).
  std::chrono::milliseconds deadline{std::chrono::seconds(30)};

  /// Extra trusted CA certificates (PEM file and/or OpenSSL hashed directory), used in
  /// addition to the system's CAs.
  std::string ca_file;
  /// An OpenSSL hashed directory of extra trusted CA certificates (see ca_file).
  std::string ca_dir;
  /// Turns off verification of the server's certificate chain, and with it the host name
  /// check (gSOAP checks the name of a verified certificate only). Insecure: only for tests.
  bool insecure_skip_peer_verification = false;
  /// Turns off the check that the certificate names the endpoint's host. Insecure.
  bool insecure_skip_host_verification = false;

  /// Reuse connections between calls (HTTP keep-alive).
  bool keep_alive = true;
  /// A pooled connection idle longer than this is closed instead of reused. Below the 15 s
  /// after which an ASMX server drops idle connections.
  std::chrono::milliseconds max_idle_time{std::chrono::seconds(10)};
  /// How many idle connections a Connection keeps for reuse.
  std::size_t max_idle_connections = 8;
  /// How many connections one Connection has open at once (in use and idle together; each
  /// HTTPS connection costs about 1 MB). A call that finds all of them in use waits for one
  /// within its deadline, and fails with ErrorKind::kTimeout (nothing sent) when none becomes
  /// free in time. At least 1.
  std::size_t max_connections = 16;

  /// Larger answers (bytes on the wire, HTTP headers included) fail with
  /// ErrorKind::kMalformedResponse naming "max_response_bytes".
  std::size_t max_response_bytes = 8 * 1024 * 1024;
  /// Deeper XML nesting in the answer fails with ErrorKind::kMalformedResponse naming
  /// "max_xml_depth". The real answer is 5 levels deep.
  unsigned max_xml_depth = 32;
  /// A compressed answer (Content-Encoding gzip or deflate) whose decompressed XML is larger
  /// than this fails with ErrorKind::kMalformedResponse naming "max_decompressed_bytes"; the
  /// inflating stops there (no gzip bomb can use more memory). The client advertises
  /// "Accept-Encoding: gzip, deflate".
  std::size_t max_decompressed_bytes = 8 * 1024 * 1024;

  /// An opt-in wire trace: when set, called once per HTTP message of a call (the request, then
  /// the response) with its HTTP headers and XML, every secret replaced by "***" (raw and
  /// XML-escaped forms, and the whole value of Authorization / Proxy-Authorization headers).
  /// A compressed response is shown decompressed. Called on the calling thread.
  std::function<void(std::string_view)> trace;

  /// Sent as the User-Agent header. Empty means "brightoffice-cpp/<version>". Printable ASCII
  /// only (no CR or LF: kInvalidArgument).
  std::string user_agent;

  /// An HTTP proxy to reach the endpoint through: http:// requests go to it with the full
  /// URL, https:// ones through a CONNECT tunnel (TLS is still end to end with the service,
  /// verified as without a proxy). A host name or IP address, nothing else. Empty: connect
  /// directly. The library reads no environment by itself: brightoffice/proxy.h
  /// (ApplyEnvironmentProxy) sets these from HTTPS_PROXY / HTTP_PROXY / NO_PROXY, as the
  /// command line does.
  std::string proxy_host;
  int proxy_port = 8080;  ///< The proxy's port (with proxy_host).
  /// Basic authentication with the proxy, sent when proxy_username is not empty. No ':' and no
  /// control characters (CR, LF, ...).
  std::string proxy_username;
  Secret proxy_password;  ///< The proxy password: a secret, never printed, wiped after each call.
};

}  // namespace brightoffice

#endif  // BRIGHTOFFICE_OPTIONS_H
