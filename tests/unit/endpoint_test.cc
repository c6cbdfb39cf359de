// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// The strict endpoint parser, and the proof that gSOAP reads what the library hands it
// (Endpoint::ToString()) as the same host, port and path.
#include <doctest/doctest.h>

#include <stdsoap2.h>

#include <string>

#include "endpoint_roundtrip.h"
#include "internal/endpoint.h"

using brightoffice::ErrorKind;
using brightoffice::internal::kMaxEndpointLength;
using brightoffice::internal::ParseEndpoint;
using brightoffice::internal::ParseProxyUrl;
using brightoffice::internal::ValidateProxyHost;

namespace {

struct Accepted {
  const char* input;
  bool https;
  const char* host;
  int port;
  const char* path;
  const char* canonical;
};

const Accepted kAccepted[] = {
    {"http://example.com", false, "example.com", 80, "/", "http://example.com/"},
    {"https://crm.example.co.uk/Webservices/BrightOfficeAPI.asmx", true, "crm.example.co.uk", 443,
     "/Webservices/BrightOfficeAPI.asmx", "https://crm.example.co.uk/Webservices/BrightOfficeAPI.asmx"},
    {"HTTPS://CRM.Example.CO.UK:8443/Web/API.asmx", true, "crm.example.co.uk", 8443, "/Web/API.asmx",
     "https://crm.example.co.uk:8443/Web/API.asmx"},
    {"HtTp://127.0.0.1:8080/x", false, "127.0.0.1", 8080, "/x", "http://127.0.0.1:8080/x"},
    {"http://[::1]:8080/a/b?c=d", false, "::1", 8080, "/a/b?c=d", "http://[::1]:8080/a/b?c=d"},
    {"https://[2001:DB8::1]/", true, "2001:db8::1", 443, "/", "https://[2001:db8::1]/"},
    {"http://host?wsdl", false, "host", 80, "/?wsdl", "http://host/?wsdl"},
    {"http://host:81?x=1&y=%2F", false, "host", 81, "/?x=1&y=%2F", "http://host:81/?x=1&y=%2F"},
    {"http://host:80/", false, "host", 80, "/", "http://host/"},
    {"https://host:443/p", true, "host", 443, "/p", "https://host/p"},
    {"http://host:00080/p", false, "host", 80, "/p", "http://host/p"},
    {"http://host:65535/p", false, "host", 65535, "/p", "http://host:65535/p"},
    {"http://host:1", false, "host", 1, "/", "http://host:1/"},
    {"http://my_host-1.internal./p;a=b/c:d", false, "my_host-1.internal.", 80, "/p;a=b/c:d",
     "http://my_host-1.internal./p;a=b/c:d"},
    {"http://h/p%20q/~u!$&'()*+,;=:/?q=/?", false, "h", 80, "/p%20q/~u!$&'()*+,;=:/?q=/?",
     "http://h/p%20q/~u!$&'()*+,;=:/?q=/?"},
    {"http://1.2.3.4/", false, "1.2.3.4", 80, "/", "http://1.2.3.4/"},
};

struct Refused {
  const char* input;
  const char* why;  // a part of the message
};

const Refused kRefused[] = {
    {"", "empty"},
    {"example.com/x", "http:// or https://"},
    {"ftp://example.com/", "scheme must be http or https"},
    {"http:/example.com/", "http:// or https://"},
    {"http://", "has no host"},
    {"http://?x", "has no host"},
    {"http:///path", "has no host"},
    {"http://:8080/", "has no host"},
    {"http://user:pw@host/", "must not contain '@'"},
    {"http://host/a@evil.example/", "must not contain '@'"},
    {"http://host/?redirect=x@evil.example", "must not contain '@'"},
    {"http://@host/", "must not contain '@'"},
    {"http://host/#frag", "fragment"},
    {"http://host:65536/", "port must be a number from 1 to 65535"},
    {"http://host:0/", "port must be a number from 1 to 65535"},
    {"http://host:99999999999/", "port must be a number from 1 to 65535"},
    {"http://host:80abc/", "port must be a number from 1 to 65535"},
    {"http://host:+80/", "port must be a number from 1 to 65535"},
    {"http://host:-1/", "port must be a number from 1 to 65535"},
    {"http://host:/", "port must be a number from 1 to 65535"},
    {"http://host:0x50/", "port must be a number from 1 to 65535"},
    {"http://host:80:81/", "more than one ':'"},
    {"http://::1/", "more than one ':'"},
    {"http://[::1/", "without its ']'"},
    {"http://[::1]x/", "after the ']'"},
    {"http://[not-v6]/", "not an IPv6 address"},
    {"http://[fe80::1%25eth0]/", "not an IPv6 address"},
    {"http://[]/", "not an IPv6 address"},
    {"http://ho st/", "space"},
    {"http://host/a b", "space"},
    {"http://host/a\tb", "control character"},
    {"http://host/\x7f", "control character"},
    {"http://h\xc3\xa9st/", "non-ASCII"},
    {"http://host/%zz", "does not start a %XX escape"},
    {"http://host/%4", "does not start a %XX escape"},
    {"http://host/a\\b", "cannot carry"},
    {"http://host/a\"b", "cannot carry"},
    {"http://host/a<b>", "cannot carry"},
    {"http://host/a{b}", "cannot carry"},
    {"http://host/a|b", "cannot carry"},
    {"http://host/a^b", "cannot carry"},
    {"http://host/a`b", "cannot carry"},
    {"http://host/a[b]", "cannot carry"},
    {"http://ho!st/", "may contain only"},
    {"http://ho%41st/", "may contain only"},
    {"http://a..b/", "empty label"},
    {"http://.a/", "empty label"},
    {"http://127.1/", "dotted-quad"},
    {"http://2130706433/", "dotted-quad"},
    {"http://0x7f.0.0.1/", "dotted-quad"},
    {"http://1.2.3.4./", "dotted-quad"},
    {"http://256.1.1.1/", "dotted-quad"},
    {"http://a.0x1/", "dotted-quad"},
    {"http://x1.2/", "dotted-quad"},  // a numeric last label: no top-level domain is all digits
};

}  // namespace

TEST_CASE("accepted endpoints parse into their parts and a canonical form") {
  for (const Accepted& a : kAccepted) {
    const std::string input = a.input;
    CAPTURE(input);
    auto e = ParseEndpoint(a.input);
    INFO(e.status().message());
    REQUIRE(e.ok());
    CHECK(e->https == a.https);
    CHECK(e->host == a.host);
    CHECK(e->port == a.port);
    CHECK(e->path_and_query == a.path);
    CHECK(e->ToString() == a.canonical);
    // The canonical form parses to the same value.
    auto again = ParseEndpoint(e->ToString());
    REQUIRE(again.ok());
    CHECK(again->ToString() == e->ToString());
  }
}

TEST_CASE("refused endpoints are invalid_argument saying why, never quoting the URL") {
  for (const Refused& r : kRefused) {
    const std::string input = r.input;
    CAPTURE(input);
    auto e = ParseEndpoint(r.input);
    REQUIRE_FALSE(e.ok());
    CHECK(e.status().kind() == ErrorKind::kInvalidArgument);
    CHECK(e.status().message().find(r.why) != std::string::npos);
    if (std::string(r.input).size() > 12) CHECK(e.status().message().find(r.input) == std::string::npos);
  }
}

TEST_CASE("the length bound: 1023 characters are accepted, 1024 are not") {
  const std::string head = "http://h/";
  std::string ok = head + std::string(kMaxEndpointLength - head.size(), 'a');
  REQUIRE(ok.size() == 1023);
  CHECK(ParseEndpoint(ok).ok());
  CHECK(brightoffice::testing::GsoapReadsAsParsed(*ParseEndpoint(ok)));
  auto too_long = ParseEndpoint(ok + "a");
  REQUIRE_FALSE(too_long.ok());
  CHECK(too_long.status().message().find("longer than 1023") != std::string::npos);
  // "http://h?" + 1014 characters is 1023 long, but 1024 once the '/' before the query is added.
  std::string query = "http://h?" + std::string(1014, 'q');
  REQUIRE(query.size() == 1023);
  CHECK_FALSE(ParseEndpoint(query).ok());
}

TEST_CASE("gSOAP reads every accepted endpoint as the same host, port and path") {
  for (const Accepted& a : kAccepted) {
    const std::string input = a.input;
    CAPTURE(input);
    auto e = ParseEndpoint(a.input);
    REQUIRE(e.ok());
    CHECK(brightoffice::testing::GsoapReadsAsParsed(*e));
  }
}

TEST_CASE("proxy URLs: the documented form, the same host and port rules, no quoting") {
  auto p = ParseProxyUrl("http://us%40er:p%3Aw%25@Proxy.Example:3128/", true, "HTTPS_PROXY");
  REQUIRE(p.ok());
  CHECK(p->host == "proxy.example");
  CHECK(p->port == 3128);
  CHECK(p->username == "us@er");
  REQUIRE(p->password.has_value());
  CHECK(p->password->Reveal() == "p:w%");

  auto bare = ParseProxyUrl("10.0.0.1", true, "HTTP_PROXY");
  REQUIRE(bare.ok());
  CHECK(bare->host == "10.0.0.1");
  CHECK(bare->port == 80);
  CHECK_FALSE(bare->password.has_value());

  auto v6 = ParseProxyUrl("HTTP://[::1]:8080", false, "--proxy");
  REQUIRE(v6.ok());
  CHECK(v6->ipv6);
  CHECK(v6->host == "::1");

  const Refused refused[] = {
      {"https://proxy:3128", "only http://"},
      {"socks5://proxy:1080", "only http://"},
      {"http://proxy:70000", "port must be a number"},
      {"http://proxy:3128x", "port must be a number"},
      {"http://proxy:3128/path", "without a path"},
      {"http://u:secretpw@", "has no host"},
      {"http://u:secret%zz@proxy", "%XX"},
      {"http://:secretpw@proxy", "without a user name"},
      {"http://prox y", "space"},
      {"http://127.1:3128", "dotted-quad"},
  };
  for (const Refused& r : refused) {
    const std::string input = r.input;
    CAPTURE(input);
    auto e = ParseProxyUrl(r.input, true, "HTTPS_PROXY");
    REQUIRE_FALSE(e.ok());
    CHECK(e.status().message().find(r.why) != std::string::npos);
    CHECK(e.status().message().find("HTTPS_PROXY") != std::string::npos);
    CHECK(e.status().message().find("secret") == std::string::npos);
  }
  auto no_credentials = ParseProxyUrl("http://u:secretpw@proxy:1", false, "--proxy");
  REQUIRE_FALSE(no_credentials.ok());
  CHECK(no_credentials.status().message().find("must not carry credentials") != std::string::npos);
  CHECK(no_credentials.status().message().find("secretpw") == std::string::npos);
}

TEST_CASE("proxy_host: a bare host name or address") {
  for (const char* ok : {"proxy", "proxy.example.com", "10.1.2.3", "::1", "[::1]"}) {
    const std::string text = ok;
    CAPTURE(text);
    CHECK(ValidateProxyHost(ok).ok());
  }
  for (const char* bad : {"", "http://proxy", "proxy:3128", "user@proxy", "proxy/x", "pro xy", "127.1", "[::1"}) {
    const std::string text = bad;
    CAPTURE(text);
    CHECK_FALSE(ValidateProxyHost(bad).ok());
  }
}
