// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#include "internal/endpoint.h"

#include <arpa/inet.h>

#include <cctype>
#include <string>

#include "internal/text.h"

namespace brightoffice::internal {
namespace {

Status Invalid(std::string message) { return Status(ErrorKind::kInvalidArgument, std::move(message)); }

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::string LowerCopy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Printable ASCII only: no space, no control character, no byte above 0x7E.
Status CheckPrintable(std::string_view text, std::string_view what) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c <= 0x20 || c >= 0x7f) {
      return Invalid(std::string(what) + " contains a space, a control character or a non-ASCII byte at offset " +
                     std::to_string(i) + " (percent-encode it)");
    }
  }
  return Status();
}

// A last label that getaddrinfo() would read as a number (decimal, or 0x hexadecimal), so that
// the whole host is taken for an IPv4 address in one of inet_aton()'s forms ("127.1",
// "2130706433", "0x7f.1"): only the dotted-quad form is accepted.
bool LooksNumeric(std::string_view label) {
  if (label.empty()) return false;
  if (label.size() >= 2 && label[0] == '0' && (label[1] == 'x' || label[1] == 'X')) return true;
  for (char c : label) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// A host name or dotted-quad IPv4 address (no brackets, no port).
Status CheckHostName(std::string_view host, std::string_view what) {
  if (host.empty()) return Invalid(std::string(what) + " has no host");
  if (host.size() > 253) return Invalid(std::string(what) + "'s host name is longer than 253 characters");
  std::string_view name = host;
  if (name.back() == '.') name.remove_suffix(1);
  std::string_view last;
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t dot = name.find('.', start);
    if (dot == std::string_view::npos) dot = name.size();
    const std::string_view label = name.substr(start, dot - start);
    if (label.empty()) return Invalid(std::string(what) + "'s host has an empty label (\"..\" or a leading dot)");
    for (char c : label) {
      if (!IsAlnum(c) && c != '-' && c != '_') {
        return Invalid(std::string(what) + "'s host may contain only letters, digits, '-', '_' and dots (got '" +
                       std::string(1, c) + "')");
      }
    }
    last = label;
    start = dot + 1;
  }
  if (LooksNumeric(last)) {
    unsigned char address[4];
    if (host.back() == '.' || inet_pton(AF_INET, std::string(host).c_str(), address) != 1) {
      return Invalid(std::string(what) + "'s host is neither a host name nor an IPv4 address in dotted-quad form");
    }
  }
  return Status();
}

struct HostPort {
  std::string host;
  bool ipv6 = false;
  int port = 0;
};

// "host", "host:port", "[v6]" or "[v6]:port".
StatusOr<HostPort> ParseHostPort(std::string_view authority, int default_port, std::string_view what) {
  HostPort out;
  out.port = default_port;
  std::string_view port;
  bool has_port = false;
  if (authority.empty()) return Invalid(std::string(what) + " has no host");
  if (authority[0] == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return Invalid(std::string(what) + " has a '[' without its ']'");
    const std::string inner(authority.substr(1, close - 1));
    unsigned char address[16];
    if (inner.empty() || inet_pton(AF_INET6, inner.c_str(), address) != 1) {
      return Invalid(std::string(what) + "'s host in brackets is not an IPv6 address");
    }
    out.host = LowerCopy(inner);
    out.ipv6 = true;
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return Invalid(std::string(what) + " has text after the ']' of its IPv6 address");
      has_port = true;
      port = after.substr(1);
    }
  } else {
    const std::size_t colon = authority.find(':');
    const std::string_view host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      has_port = true;
      port = authority.substr(colon + 1);
      if (port.find(':') != std::string_view::npos) {
        return Invalid(std::string(what) + " has more than one ':' after the host (an IPv6 address goes in brackets)");
      }
    }
    if (Status s = CheckHostName(host, what); !s.ok()) return s;
    out.host = LowerCopy(host);
  }
  if (has_port) {
    long value = 0;
    bool ok = !port.empty() && port.size() <= 5;
    for (char c : port) {
      ok = ok && IsDigit(c);
      if (ok) value = value * 10 + (c - '0');
    }
    if (!ok || value < 1 || value > 65535) {
      return Invalid(std::string(what) + "'s port must be a number from 1 to 65535, in decimal digits only");
    }
    out.port = static_cast<int>(value);
  }
  return out;
}

// RFC 3986 pchar, less '@' (gSOAP takes whatever follows the first '@' of an endpoint for its
// host) and with '%' only as the start of a %XX escape; '/' and, in the query, '?' too.
Status CheckPathAndQuery(std::string_view path, std::size_t offset, std::string_view what) {
  for (std::size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '%') {
      if (PercentEscapeAt(path, i) < 0) {
        return Invalid(std::string(what) + " has a '%' that does not start a %XX escape at offset " +
                       std::to_string(offset + i));
      }
      i += 2;
      continue;
    }
    const bool allowed = IsAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '!' || c == '$' ||
                         c == '&' || c == '\'' || c == '(' || c == ')' || c == '*' || c == '+' || c == ',' ||
                         c == ';' || c == '=' || c == ':' || c == '/' || c == '?';
    if (!allowed) {
      return Invalid(std::string(what) + " has the character '" + std::string(1, c) + "' at offset " +
                     std::to_string(offset + i) + ", which a URL path or query cannot carry (percent-encode it)");
    }
  }
  return Status();
}

std::string Bracketed(const std::string& host, bool ipv6) { return ipv6 ? "[" + host + "]" : host; }

// Strict %XX decoding of user info.
StatusOr<std::string> PercentDecode(std::string_view text, std::string_view what) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    const int byte = PercentEscapeAt(text, i);
    if (byte < 0) {
      return Invalid(std::string(what) + "'s user name or password has a '%' that does not start a %XX escape");
    }
    out += static_cast<char>(byte);
    i += 2;
  }
  return out;
}

}  // namespace

std::string Endpoint::Authority() const { return Bracketed(host, ipv6) + ":" + std::to_string(port); }

std::string Endpoint::ToString() const {
  std::string out = https ? "https://" : "http://";
  out += Bracketed(host, ipv6);
  if (port != (https ? 443 : 80)) out += ":" + std::to_string(port);
  out += path_and_query;
  return out;
}

StatusOr<Endpoint> ParseEndpoint(std::string_view text) {
  const std::string_view what = "the endpoint";
  if (text.empty()) return Invalid("the endpoint is empty (an http:// or https:// URL is required)");
  if (text.size() > kMaxEndpointLength) {
    return Invalid("the endpoint is longer than " + std::to_string(kMaxEndpointLength) + " characters (" +
                   std::to_string(text.size()) + "), which gSOAP would cut short");
  }
  if (Status s = CheckPrintable(text, what); !s.ok()) return s;
  const std::size_t sep = text.find("://");
  if (sep == std::string_view::npos) return Invalid("the endpoint must be an http:// or https:// URL");
  Endpoint out;
  const std::string_view scheme = text.substr(0, sep);
  if (IEquals(scheme, "https")) {
    out.https = true;
  } else if (!IEquals(scheme, "http")) {
    return Invalid("the endpoint's scheme must be http or https");
  }
  if (text.find('@') != std::string_view::npos) {
    return Invalid("the endpoint must not contain '@' (no user name or password in an endpoint; "
                   "percent-encode an '@' in the path or query as %40)");
  }
  if (text.find('#') != std::string_view::npos) return Invalid("the endpoint must not have a fragment ('#')");
  const std::string_view rest = text.substr(sep + 3);
  const std::size_t authority_end = rest.find_first_of("/?");
  auto host_port = ParseHostPort(rest.substr(0, authority_end), out.https ? 443 : 80, what);
  if (!host_port.ok()) return host_port.status();
  out.host = std::move(host_port->host);
  out.ipv6 = host_port->ipv6;
  out.port = host_port->port;
  if (authority_end != std::string_view::npos) {
    const std::string_view path = rest.substr(authority_end);
    if (Status s = CheckPathAndQuery(path, sep + 3 + authority_end, what); !s.ok()) return s;
    out.path_and_query = path[0] == '?' ? "/" + std::string(path) : std::string(path);
  } else {
    out.path_and_query = "/";
  }
  if (out.ToString().size() > kMaxEndpointLength) {
    return Invalid("the endpoint is longer than " + std::to_string(kMaxEndpointLength) +
                   " characters once written in full, which gSOAP would cut short");
  }
  return out;
}

StatusOr<ProxyAddress> ParseProxyUrl(std::string_view text, bool credentials_allowed, std::string_view what) {
  const std::string what_text = std::string(what);
  if (text.empty()) return Invalid(what_text + " is empty");
  if (text.size() > kMaxEndpointLength) return Invalid(what_text + " is longer than " + std::to_string(kMaxEndpointLength) + " characters");
  if (Status s = CheckPrintable(text, what_text); !s.ok()) return s;
  std::string_view rest = text;
  if (const std::size_t sep = rest.find("://"); sep != std::string_view::npos) {
    if (!IEquals(rest.substr(0, sep), "http")) return Invalid(what_text + ": only http:// proxies are supported");
    rest.remove_prefix(sep + 3);
  }
  const std::size_t slash = rest.find_first_of("/?#");
  if (slash != std::string_view::npos) {
    if (rest.substr(slash) != "/") return Invalid(what_text + " must be http://host:port, without a path");
    rest = rest.substr(0, slash);
  }
  ProxyAddress out;
  if (const std::size_t at = rest.rfind('@'); at != std::string_view::npos) {
    if (!credentials_allowed) {
      return Invalid(what_text + " must not carry credentials (the command line is visible to other users); "
                                 "put them in HTTPS_PROXY / HTTP_PROXY instead");
    }
    const std::string_view userinfo = rest.substr(0, at);
    rest.remove_prefix(at + 1);
    const std::size_t colon = userinfo.find(':');
    auto user = PercentDecode(userinfo.substr(0, colon), what_text);
    if (!user.ok()) return user.status();
    out.username = std::move(*user);
    if (colon != std::string_view::npos) {
      auto password = PercentDecode(userinfo.substr(colon + 1), what_text);
      if (!password.ok()) return password.status();
      out.password = Secret(std::move(*password));
    }
    if (out.username.empty()) return Invalid(what_text + " has credentials without a user name");
  }
  auto host_port = ParseHostPort(rest, 80, what_text);
  if (!host_port.ok()) return host_port.status();
  out.host = std::move(host_port->host);
  out.ipv6 = host_port->ipv6;
  out.port = host_port->port;
  return out;
}

Status ValidateProxyHost(std::string_view host) {
  const std::string_view what = "proxy_host";
  if (Status s = CheckPrintable(host, what); !s.ok()) return s;
  if (!host.empty() && host[0] == '[') {
    if (host.back() != ']') return Invalid("proxy_host has a '[' without its ']'");
    host = host.substr(1, host.size() - 2);
  }
  if (host.find(':') != std::string_view::npos) {
    unsigned char address[16];
    if (inet_pton(AF_INET6, std::string(host).c_str(), address) != 1) {
      return Invalid("proxy_host must be a host name or an IP address, without a scheme or port");
    }
    return Status();
  }
  return CheckHostName(host, what);
}

}  // namespace brightoffice::internal
