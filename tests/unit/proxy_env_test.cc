// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// The environment's proxy rules (brightoffice/proxy.h), through the public API only: NO_PROXY
// matching as curl does, the choice of variable, proxy URLs from the environment and from
// --proxy, and what lands in Options. Every case is a row of a table.
#include <doctest/doctest.h>

#include <cstdlib>
#include <map>
#include <optional>
#include <string>

#include "brightoffice/proxy.h"

using brightoffice::ErrorKind;
using brightoffice::NoProxyMatches;
using brightoffice::ProxyFromEnvironment;
using brightoffice::ProxyFromUrl;

namespace {

struct NoProxyCase {
  const char* host;
  const char* no_proxy;
  bool match;
};

const NoProxyCase kNoProxy[] = {
    // '*' alone names every host; anywhere else it names nothing.
    {"example.com", "*", true},
    {"127.0.0.1", "*", true},
    {"::1", "*", true},
    {"example.com", " * ", true},
    {"example.com", "*,other.org", false},
    {"www.example.com", "*.example.com", false},
    {"example.com", "", false},
    {"example.com", " , ,, ", false},
    // Host names: the name itself or a parent domain, on a label boundary, any case.
    {"example.com", "example.com", true},
    {"www.example.com", "example.com", true},
    {"a.b.example.com", "example.com", true},
    {"www.example.com", ".example.com", true},
    {"example.com", ".example.com", true},
    {"notexample.com", "example.com", false},
    {"notexample.com", ".example.com", false},
    {"example.com", "www.example.com", false},
    {"example.com.org", "example.com", false},
    {"example.co", "example.com", false},
    {"WWW.Example.COM", "example.com", true},
    {"www.example.com", "EXAMPLE.Com", true},
    // Trailing dots of the host and of the entry are ignored.
    {"www.example.com.", "example.com", true},
    {"www.example.com", "example.com.", true},
    {"www.example.com", ".example.com.", true},
    {"example.com.", ".example.com", true},
    {"example.com", ".", false},
    // Separators: commas, spaces and tabs, in any number and mix.
    {"bar", "foo, bar", true},
    {"bar", "foo,,,,,              bar", true},
    {"bar", "foo bar", true},
    {"bar", "foo\tbar", true},
    {"bar", " \tbar\t ", true},
    {"localhost", "127.0.0.1,localhost,", true},
    // Ports: an entry with one names nothing; the endpoint's port plays no part.
    {"example.com", "example.com:8080", false},
    {"127.0.0.1", "127.0.0.1:8080", false},
    // A host name is never named by an address (nothing is resolved), nor an address by a name.
    {"localhost", "127.0.0.1", false},
    {"127.0.0.1", "localhost", false},
    {"127.0.0.1", "0.0.1", false},
    {"127.0.0.1", "0.1", false},
    {"10.1.2.3", "2.3", false},
    // IPv4: the same address, or a CIDR block around it.
    {"127.0.0.1", "127.0.0.1", true},
    {"127.0.0.1", "127.0.0.2", false},
    {"192.168.0.1", "192.168.0.0", false},
    {"192.168.0.1", "192.168.0.0/16", true},
    {"192.168.0.1", "192.168.0.0/24", true},
    {"192.168.1.1", "192.168.0.0/24", false},
    {"192.168.0.1", "192.168.0.0/32", false},
    {"192.168.0.1", "192.168.0.1/32", true},
    {"192.168.1.1", "foo, bar, 192.168.0.0/16", true},
    {"192.168.1.1", "foo, bar, 192.168.0.0/24", false},
    {"10.200.3.4", "10.0.0.0/8", true},
    {"11.0.0.1", "10.0.0.0/8", false},
    {"172.31.255.255", "172.16.0.0/12", true},
    {"172.32.0.0", "172.16.0.0/12", false},
    {"127.0.0.1", "127.0.0.1/31", true},
    {"127.0.0.1", "127.0.0.0/31", true},
    {"127.0.0.2", "127.0.0.0/31", false},
    {"8.8.8.8", "0.0.0.0/0", true},
    {"192.160.0.1", "192.160.0.1/33", false},  // more bits than an IPv4 address has
    {"127.0.0.1", "127.0.0.1/", false},         // a malformed block names nothing
    {"127.0.0.1", "127.0.0.1/x", false},
    {"127.0.0.1", "127.0.0.1/-1", false},
    {"127.0.0.1", "127.0.0.1/8/8", false},
    // IPv6, with or without brackets, numerically compared, CIDR blocks.
    {"::1", "::1", true},
    {"[::1]", "::1", true},
    {"::1", "[::1]", true},
    {"::1", "0:0::1", true},
    {"::1", "0:0:0:0:0:0:0:1", true},
    {"::1", "::2", false},
    {"::1", "::1/128", true},
    {"::1", "::1/129", false},
    {"[::1]", "foo, bar, ::1/64", true},
    {"[::1]", "foo, bar, 192.168.0.0/16", false},
    {"fe80::ab47:4396:55c9:8474", "fe80::/10", true},
    {"fe80::ab47:4396:55c9:8474", "fe80::ab47:4396:55c9:8474/64", true},
    {"fec0::1", "fe80::/10", false},
    {"2001:db8::1", "2001:db8::/32", true},
    {"2001:db9::1", "2001:db8::/32", false},
    {"2001:db8::1", "[2001:db8::]/32", true},
    {"2001:DB8::1", "2001:db8::1", true},
    {"2001:db8::1", "::/0", true},
    // Families never mix.
    {"127.0.0.1", "::ffff:127.0.0.1", false},
    {"::ffff:127.0.0.1", "127.0.0.1", false},
    {"::1", "127.0.0.1/8", false},
    {"127.0.0.1", "::/0", false},
};

TEST_CASE("NO_PROXY matching (table)") {
  for (const NoProxyCase& c : kNoProxy) {
    INFO("host '" << std::string(c.host) << "', NO_PROXY '" << std::string(c.no_proxy) << "'");
    CHECK(NoProxyMatches(c.no_proxy, c.host) == c.match);
  }
}

// An environment made of a table.
using Table = std::map<std::string, std::string>;
brightoffice::EnvironmentLookup Lookup(const Table& table) {
  return [table](const std::string& name) -> std::optional<std::string> {
    auto it = table.find(name);
    if (it == table.end()) return std::nullopt;
    return it->second;
  };
}

const char* const kHttp = "http://api.example.com/Webservices/BrightOfficeAPI.asmx";
const char* const kHttps = "https://api.example.com/Webservices/BrightOfficeAPI.asmx";

struct EnvCase {
  const char* what;
  const char* endpoint;
  Table env;
  // Expected: the proxy host ("" for a direct connection), port, user, password, source.
  const char* host;
  int port;
  const char* username;
  const char* password;
  const char* source;
};

const EnvCase kEnvironment[] = {
    {"nothing set", kHttps, {}, "", 80, "", "", ""},
    {"https uses HTTPS_PROXY", kHttps, {{"HTTPS_PROXY", "http://proxy.local:3128"}}, "proxy.local", 3128, "", "", "HTTPS_PROXY"},
    {"https prefers https_proxy", kHttps, {{"https_proxy", "http://lower:1"}, {"HTTPS_PROXY", "http://upper:2"}}, "lower", 1, "", "", "https_proxy"},
    {"an empty https_proxy counts as unset", kHttps, {{"https_proxy", ""}, {"HTTPS_PROXY", "http://upper:2"}}, "upper", 2, "", "", "HTTPS_PROXY"},
    {"https ignores HTTP_PROXY", kHttps, {{"HTTP_PROXY", "http://proxy:1"}, {"http_proxy", "http://proxy:2"}}, "", 80, "", "", ""},
    {"http uses HTTP_PROXY", kHttp, {{"HTTP_PROXY", "http://proxy:8080"}}, "proxy", 8080, "", "", "HTTP_PROXY"},
    {"http prefers http_proxy", kHttp, {{"http_proxy", "proxy-a:1"}, {"HTTP_PROXY", "proxy-b:2"}}, "proxy-a", 1, "", "", "http_proxy"},
    {"http ignores HTTPS_PROXY", kHttp, {{"HTTPS_PROXY", "http://proxy:1"}}, "", 80, "", "", ""},
    {"an upper-case scheme is https", "HTTPS://API.example.com/x", {{"HTTPS_PROXY", "http://p:1"}, {"HTTP_PROXY", "http://q:2"}}, "p", 1, "", "", "HTTPS_PROXY"},
    {"an upper-case scheme is http", "HtTp://api.example.com/x", {{"HTTPS_PROXY", "http://p:1"}, {"HTTP_PROXY", "http://q:2"}}, "q", 2, "", "", "HTTP_PROXY"},
    {"no scheme, no port: port 80", kHttps, {{"HTTPS_PROXY", "proxy.local"}}, "proxy.local", 80, "", "", "HTTPS_PROXY"},
    {"a trailing slash", kHttps, {{"HTTPS_PROXY", "http://proxy.local:3128/"}}, "proxy.local", 3128, "", "", "HTTPS_PROXY"},
    {"upper-case scheme and host", kHttps, {{"HTTPS_PROXY", "HTTP://Proxy.Local:3128"}}, "proxy.local", 3128, "", "", "HTTPS_PROXY"},
    {"an IPv6 proxy", kHttps, {{"HTTPS_PROXY", "http://[::1]:3128"}}, "::1", 3128, "", "", "HTTPS_PROXY"},
    {"credentials, percent-decoded", kHttps, {{"HTTPS_PROXY", "http://us%40er:p%3Ass%20w@proxy:3128"}}, "proxy", 3128, "us@er", "p:ss w", "HTTPS_PROXY"},
    {"a user without a password", kHttps, {{"HTTPS_PROXY", "http://user@proxy:3128"}}, "proxy", 3128, "user", "", "HTTPS_PROXY"},
    {"NO_PROXY names the host", kHttps, {{"HTTPS_PROXY", "http://proxy:1"}, {"NO_PROXY", "example.com"}}, "", 80, "", "", "NO_PROXY"},
    {"no_proxy wins over NO_PROXY", kHttps, {{"HTTPS_PROXY", "http://proxy:1"}, {"no_proxy", "other.org"}, {"NO_PROXY", "example.com"}}, "proxy", 1, "", "", "HTTPS_PROXY"},
    {"an empty no_proxy counts as unset", kHttps, {{"HTTPS_PROXY", "http://proxy:1"}, {"no_proxy", ""}, {"NO_PROXY", "*"}}, "", 80, "", "", "NO_PROXY"},
    {"no_proxy names the host", kHttp, {{"HTTP_PROXY", "http://proxy:1"}, {"no_proxy", ".EXAMPLE.com"}}, "", 80, "", "", "no_proxy"},
    {"NO_PROXY names another host", kHttps, {{"HTTPS_PROXY", "http://proxy:1"}, {"NO_PROXY", "example.org,xapi.example.com"}}, "proxy", 1, "", "", "HTTPS_PROXY"},
    {"NO_PROXY: an IP endpoint in a block", "http://10.1.2.3:8080/x", {{"HTTP_PROXY", "http://proxy:1"}, {"NO_PROXY", "10.0.0.0/8"}}, "", 80, "", "", "NO_PROXY"},
    {"NO_PROXY: an IPv6 endpoint", "http://[::1]:8080/x", {{"HTTP_PROXY", "http://proxy:1"}, {"NO_PROXY", "localhost,::1"}}, "", 80, "", "", "NO_PROXY"},
    {"NO_PROXY: a port does not matter", "https://api.example.com:8443/x", {{"HTTPS_PROXY", "http://proxy:1"}, {"NO_PROXY", "api.example.com"}}, "", 80, "", "", "NO_PROXY"},
    {"NO_PROXY bypasses even a malformed proxy", kHttps, {{"HTTPS_PROXY", "socks5://proxy:1"}, {"NO_PROXY", "*"}}, "", 80, "", "", "NO_PROXY"},
    {"NO_PROXY alone: no proxy anyway", kHttps, {{"NO_PROXY", "example.org"}}, "", 80, "", "", ""},
};

TEST_CASE("the proxy the environment selects (table)") {
  for (const EnvCase& c : kEnvironment) {
    INFO(std::string(c.what));
    auto settings = ProxyFromEnvironment(c.endpoint, Lookup(c.env));
    INFO(settings.status().ToString());
    REQUIRE(settings.ok());
    CHECK(settings->host == c.host);
    CHECK(settings->direct() == (std::string(c.host).empty()));
    if (!settings->direct()) CHECK(settings->port == c.port);
    CHECK(settings->username == c.username);
    CHECK(settings->password.Reveal() == c.password);
    CHECK(settings->source == c.source);
  }
}

struct ErrorCase {
  const char* what;
  const char* endpoint;
  Table env;
  const char* message_has;  // a part of the message
  const char* secret;       // must not appear in the message ("" for none)
};

const ErrorCase kErrors[] = {
    {"a malformed endpoint", "ftp://example.com/x", {}, "scheme", ""},
    {"an endpoint without host", "http://?x", {{"HTTP_PROXY", "http://proxy:1"}}, "no host", ""},
    {"an endpoint with user info", "https://user:Endp0intPw@example.com/", {}, "'@'", "Endp0intPw"},
    {"a SOCKS proxy", kHttps, {{"HTTPS_PROXY", "socks5://proxy:1080"}}, "HTTPS_PROXY", ""},
    {"an https proxy", kHttps, {{"https_proxy", "https://proxy:443"}}, "https_proxy", ""},
    {"a proxy port out of range", kHttp, {{"HTTP_PROXY", "http://proxy:99999"}}, "HTTP_PROXY", ""},
    {"a proxy port with junk", kHttp, {{"http_proxy", "http://proxy:80x"}}, "http_proxy", ""},
    {"a proxy without host", kHttp, {{"HTTP_PROXY", "http://:8080"}}, "HTTP_PROXY", ""},
    {"a proxy URL with a path", kHttps, {{"HTTPS_PROXY", "http://proxy:1/path"}}, "HTTPS_PROXY", ""},
    {"a space in the proxy URL", kHttps, {{"HTTPS_PROXY", "http://u:Pr0xy Secret@proxy:1"}}, "HTTPS_PROXY", "Pr0xy"},
    {"a bad escape in the password", kHttps, {{"HTTPS_PROXY", "http://u:Pr0xyS3cret%zz@proxy:1"}}, "HTTPS_PROXY", "Pr0xyS3cret"},
    {"a password and no user", kHttps, {{"HTTPS_PROXY", "http://:Pr0xyS3cret@proxy:1"}}, "HTTPS_PROXY", "Pr0xyS3cret"},
    {"NO_PROXY for another host", kHttps, {{"HTTPS_PROXY", "ftp://u:Pr0xyS3cret@proxy:1"}, {"NO_PROXY", "example.org"}}, "HTTPS_PROXY", "Pr0xyS3cret"},
};

TEST_CASE("malformed endpoints and proxy URLs from the environment are invalid_argument (table)") {
  for (const ErrorCase& c : kErrors) {
    INFO(std::string(c.what));
    auto settings = ProxyFromEnvironment(c.endpoint, Lookup(c.env));
    REQUIRE(!settings.ok());
    CHECK(settings.status().kind() == ErrorKind::kInvalidArgument);
    const std::string message = settings.status().message();
    CAPTURE(message);
    CHECK(message.find(c.message_has) != std::string::npos);
    if (*c.secret != '\0') CHECK(message.find(c.secret) == std::string::npos);
  }
}

struct UrlCase {
  const char* url;
  bool ok;
  const char* host;
  int port;
};

const UrlCase kUrls[] = {
    {"", true, "", 80},
    {"http://proxy:3128", true, "proxy", 3128},
    {"proxy:3128", true, "proxy", 3128},
    {"HTTP://PROXY", true, "proxy", 80},
    {"http://[2001:db8::1]:8080/", true, "2001:db8::1", 8080},
    {"http://user:Pr0xyS3cret@proxy:3128", false, "", 0},  // credentials: never on a command line
    {"http://user@proxy:3128", false, "", 0},
    {"socks5://proxy:1080", false, "", 0},
    {"http://proxy:0", false, "", 0},
    {"http://proxy:65536", false, "", 0},
    {"http://:8080", false, "", 0},
    {"http://proxy:8080/x", false, "", 0},
    {"http://prox y:8080", false, "", 0},
};

TEST_CASE("an explicit proxy URL (--proxy): the same rules, no credentials (table)") {
  for (const UrlCase& c : kUrls) {
    INFO("url " << std::string(c.url));
    auto settings = ProxyFromUrl(c.url, "--proxy");
    CHECK(settings.ok() == c.ok);
    if (settings.ok()) {
      CHECK(settings->host == c.host);
      if (!settings->direct()) CHECK(settings->port == c.port);
      CHECK(settings->username.empty());
      CHECK(settings->password.empty());
      CHECK(settings->source == "--proxy");
    } else {
      CHECK(settings.status().kind() == ErrorKind::kInvalidArgument);
      CHECK(settings.status().message().find("--proxy") != std::string::npos);
      CHECK(settings.status().message().find("Pr0xyS3cret") == std::string::npos);
    }
  }
}

TEST_CASE("ApplyEnvironmentProxy and ApplyTo fill Options; a failure leaves them as they were") {
  brightoffice::Options options;
  options.endpoint = kHttps;
  REQUIRE(brightoffice::ApplyEnvironmentProxy(options, Lookup({{"HTTPS_PROXY", "http://u%3A1:pw@proxy:3128"}})).ok());
  CHECK(options.proxy_host == "proxy");
  CHECK(options.proxy_port == 3128);
  CHECK(options.proxy_username == "u:1");
  CHECK(options.proxy_password.Reveal() == "pw");

  const brightoffice::Status bad = brightoffice::ApplyEnvironmentProxy(options, Lookup({{"HTTPS_PROXY", "socks5://x:1"}}));
  CHECK(bad.kind() == ErrorKind::kInvalidArgument);
  CHECK(options.proxy_host == "proxy");
  CHECK(options.proxy_username == "u:1");

  // A direct connection clears what an earlier proxy set.
  REQUIRE(brightoffice::ApplyEnvironmentProxy(options, Lookup({{"HTTPS_PROXY", "http://proxy:3128"}, {"NO_PROXY", "*"}})).ok());
  CHECK(options.proxy_host.empty());
  CHECK(options.proxy_username.empty());
  CHECK(options.proxy_password.empty());
}

TEST_CASE("ProcessEnvironment reads the process environment") {
  REQUIRE(setenv("BRIGHTOFFICE_PROXY_TEST_VARIABLE", "http://proxy.test:1234", 1) == 0);
  CHECK(brightoffice::ProcessEnvironment("BRIGHTOFFICE_PROXY_TEST_VARIABLE") == std::optional<std::string>("http://proxy.test:1234"));
  REQUIRE(unsetenv("BRIGHTOFFICE_PROXY_TEST_VARIABLE") == 0);
  CHECK(!brightoffice::ProcessEnvironment("BRIGHTOFFICE_PROXY_TEST_VARIABLE").has_value());
  // The default lookup is the process environment.
  REQUIRE(setenv("https_proxy", "http://from-process:4321", 1) == 0);
  auto settings = ProxyFromEnvironment(kHttps);
  unsetenv("https_proxy");
  REQUIRE(settings.ok());
  CHECK(settings->host == "from-process");
  CHECK(settings->port == 4321);
}

}  // namespace
