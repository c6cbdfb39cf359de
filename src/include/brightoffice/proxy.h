// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_PROXY_H
#define BRIGHTOFFICE_PROXY_H

// The proxy rules of the environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), as brightoffice-mfa
// applies them, for programs that want the same behaviour. The library itself never reads the
// environment: Options::proxy_* are used as set.
//
//   brightoffice::Options options;
//   options.endpoint = "https://crm.example.co.uk/Webservices/BrightOfficeAPI.asmx";
//   if (brightoffice::Status s = brightoffice::ApplyEnvironmentProxy(options); !s.ok()) {
//     return fail(s);  // invalid_argument: a bad endpoint or proxy URL (the message names the variable)
//   }

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "brightoffice/options.h"
#include "brightoffice/secret.h"
#include "brightoffice/status.h"

namespace brightoffice {

/// Reads one environment variable: its value, or std::nullopt when it is not set. Tests pass a
/// table; programs use ProcessEnvironment.
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;

/// The process environment, read with std::getenv: the default EnvironmentLookup.
std::optional<std::string> ProcessEnvironment(const std::string& name);

/// An HTTP proxy to reach an endpoint through, or none (a direct connection), with where that
/// decision came from.
struct ProxySettings {
  /// The proxy's host name (lower case) or IP address (an IPv6 address without brackets);
  /// empty for a direct connection.
  std::string host;
  int port = 80;  ///< The proxy's port: 80 when its URL names none.
  /// User name for Basic authentication with the proxy (percent-decoded); empty for none.
  std::string username;
  Secret password;  ///< The proxy password (percent-decoded): never printed.
  /// What decided: the variable whose proxy is used ("https_proxy", "HTTPS_PROXY",
  /// "http_proxy", "HTTP_PROXY"), the variable that bypassed it ("no_proxy" or "NO_PROXY"),
  /// the `what` of ProxyFromUrl (e.g. "--proxy"), or empty when no variable names a proxy.
  std::string source;

  /// True for a direct connection (no proxy).
  bool direct() const noexcept { return host.empty(); }
  /// Sets options.proxy_host, proxy_port, proxy_username and proxy_password to these
  /// settings (a direct connection clears proxy_host, proxy_username and proxy_password).
  void ApplyTo(Options& options) const;
};

/// True when the NO_PROXY-style list `no_proxy` names `host` (a host name, an IPv4 address,
/// or an IPv6 address with or without brackets), as curl matches it:
///  - the whole list `*` (blanks around it ignored) names every host;
///  - otherwise entries are separated by commas and/or blanks (spaces, tabs); empty entries
///    are ignored;
///  - a host name is named by an entry equal to it or to one of its parent domains, compared
///    on whole labels without regard to case: `example.com` and `.example.com` both name
///    `example.com` and `www.example.com`, but not `notexample.com`; one leading dot of the
///    entry and one trailing dot of the entry and of the host are ignored; a host name is never
///    named by an IP address entry (nothing is resolved);
///  - an IP address is named only by an IP address entry of its family: the same address
///    (compared as numbers: `::1` is `0:0::1`), or a CIDR block `address/bits` containing it
///    (`10.0.0.0/8`, `fe80::/10`; bits 0-32 or 0-128, `/0` names every address of the family);
///    an IPv6 entry may be written with or without brackets;
///  - an entry with a port (`host:8080`) or a '*' anywhere but alone (`*.example.com`) names
///    nothing, nor does a malformed CIDR block; the endpoint's port plays no part.
bool NoProxyMatches(std::string_view no_proxy, std::string_view host);

/// The proxy the environment selects for `endpoint` (parsed as Client::Create parses it: a
/// malformed endpoint is kInvalidArgument):
///  - an https endpoint (scheme in any case) uses `https_proxy`, else `HTTPS_PROXY`; an http
///    endpoint `http_proxy`, else `HTTP_PROXY`; a variable that is empty counts as unset;
///    none set: a direct connection;
///  - unless NO_PROXY names the endpoint's host (NoProxyMatches on `no_proxy`, else `NO_PROXY`
///    when `no_proxy` is unset or empty): then a direct connection, and the proxy variable is
///    not read any further;
///  - the proxy URL is `[http://][user[:password]@]host[:port][/]` (port 80 when absent; user
///    and password percent-decoded; no other scheme, no path); a malformed one is
///    kInvalidArgument with a message that names the variable but never quotes its value.
/// ALL_PROXY is not read.
StatusOr<ProxySettings> ProxyFromEnvironment(std::string_view endpoint,
                                             const EnvironmentLookup& env = ProcessEnvironment);

/// An explicitly given proxy URL, such as brightoffice-mfa's `--proxy`: an empty `url` means a
/// direct connection; otherwise `[http://]host[:port][/]` by the rules of ProxyFromEnvironment,
/// except that credentials are refused (a command line is visible to other users). `what`
/// names the URL in messages and becomes ProxySettings::source.
StatusOr<ProxySettings> ProxyFromUrl(std::string_view url, std::string_view what = "--proxy");

/// ProxyFromEnvironment(options.endpoint, env), then ProxySettings::ApplyTo(options). On a
/// failure `options` is left as it was.
Status ApplyEnvironmentProxy(Options& options, const EnvironmentLookup& env = ProcessEnvironment);

}  // namespace brightoffice

#endif  // BRIGHTOFFICE_PROXY_H
