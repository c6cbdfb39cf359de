// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// Where a request goes (issue 11, class 1), as a user of the library meets it: the library,
// not gSOAP, decides. An endpoint with an empty host is refused and nothing is written to
// stdout nor read from stdin (gSOAP's fallback for a missing host: checked in a child process
// whose stdin holds a valid answer); an '@' anywhere sends nothing anywhere (listeners on the
// host before and after the '@' see no connection); a port above 65535 or with trailing junk
// reaches no port (a listener on the port it would wrap around to sees nothing); an endpoint of
// exactly 1023 characters reaches the server's request line intact (also through an HTTP proxy,
// which gets the whole URL) and one of 1024 is refused; the scheme and host in any case work.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "brightoffice/client.h"
#include "brightoffice/testing/mock_server.h"
#include "child.h"
#include "scripted_server.h"
#include "test_certs.h"

using namespace brightoffice;
using brightoffice::tests::ScriptedAnswer;
using brightoffice::tests::ScriptedRequest;
using brightoffice::tests::ScriptedServer;

namespace {

constexpr char kPath[] = "/Webservices/BrightOfficeAPI.asmx";

CustomerInfo Jane() {
  CustomerInfo c;
  c.email = "jane@example.com";
  c.mfa_code = Secret("123456");
  return c;
}

// The outcome of using `endpoint`: Create's failure, or the call's outcome.
StatusOr<ServiceResult> Use(const std::string& endpoint, Options o = Options()) {
  o.endpoint = endpoint;
  o.deadline = std::chrono::seconds(3);
  auto client = Client::Create(o, {"api-user", Secret("api-secret")});
  if (!client.ok()) return client.status();
  return client->ConfirmCustomerUserMfa(Jane());
}

void CheckRefused(const StatusOr<ServiceResult>& r) {
  INFO(r.status().ToString());
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().kind() == ErrorKind::kInvalidArgument);
  CHECK(r.status().message().find("api-secret") == std::string::npos);
  CHECK(r.status().message().find("123456") == std::string::npos);
}

std::string Port(const ScriptedServer& s) { return std::to_string(s.port()); }

}  // namespace

TEST_CASE("an endpoint with an empty host: invalid_argument, nothing written to stdout, stdin never read") {
  // What a server would answer: if gSOAP read stdin, the call would "succeed" with it.
  const std::string answer = tests::HttpAnswer(tests::SoapResult("from stdin"));
  const std::vector<std::string> endpoints = {
      "http://?x", "http:///x", "https://:443/", "http://:80/x", "HTTP://?", "http://", "https://", "http://#x",
      "http://@/x", "http:///", "http://:/", "https://?wsdl", "http://:8080", "http://[]/", "http:?x", "http:/x",
      "https:///Webservices/BrightOfficeAPI.asmx", "http://\t/x", "http:// /x",
  };
  for (const std::string& endpoint : endpoints) {
    CAPTURE(endpoint);
    // Exit codes: 10 refused by Create, 11 refused by the call, 20 + kind otherwise, 30 success.
    const auto child = tests::RunInChild(
        [&endpoint] {
          Options o;
          o.endpoint = endpoint;
          o.deadline = std::chrono::seconds(2);
          auto client = Client::Create(o, {"api-user", Secret("api-secret")});
          if (!client.ok()) return client.status().kind() == ErrorKind::kInvalidArgument ? 10 : 20;
          auto r = client->ConfirmCustomerUserMfa(Jane());
          if (r.ok()) return 30;
          return r.status().kind() == ErrorKind::kInvalidArgument ? 11 : 20 + static_cast<int>(r.status().kind());
        },
        answer, 10);
    CHECK((child.exit_code == 10 || child.exit_code == 11));
    CHECK(child.out.empty());
    CHECK(child.out.find("123456") == std::string::npos);
    CHECK(child.out.find("api-secret") == std::string::npos);
    CHECK(child.stdin_unread == child.stdin_given);
    CHECK(child.seconds < 5);
  }
}

TEST_CASE("an '@' in the endpoint sends nothing anywhere") {
  ScriptedServer before(tests::TaggedScript()), after(tests::TaggedScript());
  const std::string a = "127.0.0.1:" + Port(before), b = "127.0.0.1:" + Port(after);
  const std::vector<std::string> endpoints = {
      "http://" + a + "/x@" + b + "/y",
      "http://" + a + "/x@" + b,
      "http://" + a + "/?next=u@" + b + "/",
      "http://" + a + "?@" + b,
      "http://" + a + "/x?@" + b,
      "http://" + a + "@" + b + "/",
      "http://" + a + "@" + b,
      "http://user:pw@" + b + "/",
      "http://user@" + b + kPath,
      "http://@" + b + "/",
      "https://" + a + "/x@" + b + "/",
      "HTTP://" + a + "/x@" + b + "/",
      "http://" + a + "/x#@" + b,
      "http://" + a + kPath + "@" + b + kPath,
  };
  for (const std::string& endpoint : endpoints) {
    CAPTURE(endpoint);
    CheckRefused(Use(endpoint));
  }
  CHECK(before.connections() == 0);
  CHECK(after.connections() == 0);
}

TEST_CASE("a percent-encoded '@' (%40) is path text: the request goes to the host before it, the path intact") {
  ScriptedServer before(tests::TaggedScript()), after(tests::TaggedScript());
  const std::string path = "/x%40127.0.0.1:" + Port(after) + "/y";
  auto r = Use("http://127.0.0.1:" + Port(before) + path);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  REQUIRE(before.requests().size() == 1);
  CHECK(before.requests()[0].RequestLine() == "POST " + path + " HTTP/1.1");
  CHECK(after.connections() == 0);
}

TEST_CASE("a port above 65535 or with trailing junk is refused and reaches no port") {
  ScriptedServer server(tests::TaggedScript());
  const int p = server.port();
  const std::vector<std::string> endpoints = {
      "http://127.0.0.1:" + std::to_string(p + 65536) + kPath,
      "http://127.0.0.1:" + std::to_string(p + 131072) + kPath,
      "http://127.0.0.1:" + std::to_string(p + 4294967296LL) + kPath,
      "http://127.0.0.1:" + std::to_string(p) + "abc" + kPath,
      "http://127.0.0.1:" + std::to_string(p) + "x",
      "http://127.0.0.1:" + std::to_string(p) + ".0" + kPath,
      "http://127.0.0.1:" + std::to_string(p) + ":80" + kPath,
      "http://127.0.0.1:" + std::to_string(p) + " " + kPath,
      "http://127.0.0.1:" + std::to_string(p) + "%20" + kPath,
      "http://127.0.0.1:+" + std::to_string(p) + kPath,
      "http://127.0.0.1:-" + std::to_string(p) + kPath,
      "http://127.0.0.1: " + std::to_string(p) + kPath,
      "http://127.0.0.1:" + std::to_string(p) + "\t" + kPath,
      "http://127.0.0.1:0x" + std::to_string(p) + kPath,
      "http://127.0.0.1:" + std::to_string(p) + "e0" + kPath,
      std::string("http://127.0.0.1:0") + kPath,
  };
  for (const std::string& endpoint : endpoints) {
    CAPTURE(endpoint);
    CheckRefused(Use(endpoint));
  }
  CHECK(server.connections() == 0);
  // The premise: the same port written plainly does reach the server.
  CHECK(Use("http://127.0.0.1:" + std::to_string(p) + kPath).ok());
  CHECK(server.connections() == 1);
}

TEST_CASE("an endpoint of 1023 characters reaches the request line intact; 1024 are refused") {
  ScriptedServer server(tests::TaggedScript());
  const std::string head = "http://127.0.0.1:" + Port(server) + kPath + "?pad=";
  for (const char fill : {'a', '9', '~'}) {
    const std::string endpoint = head + std::string(1023 - head.size(), fill);
    REQUIRE(endpoint.size() == 1023);
    auto r = Use(endpoint);
    INFO(r.status().ToString());
    REQUIRE(r.ok());
    const auto requests = server.requests();
    REQUIRE_FALSE(requests.empty());
    CHECK(requests.back().RequestLine() == "POST " + endpoint.substr(endpoint.find(kPath)) + " HTTP/1.1");
    CHECK(requests.back().head.find("\r\nHost: 127.0.0.1:" + Port(server) + "\r\n") != std::string::npos);
  }
  const std::size_t before = server.requests().size();
  CheckRefused(Use(head + std::string(1024 - head.size(), 'a')));
  CheckRefused(Use(head + std::string(4096, 'a')));
  CHECK(server.requests().size() == before);
}

TEST_CASE("through an HTTP proxy, an endpoint of 1023 characters reaches the proxy's request line intact") {
  ScriptedServer proxy(tests::TaggedScript());  // answers as if it had forwarded the request
  const std::string head = "http://127.0.0.1:9" + std::string(kPath) + "?pad=";
  const std::string endpoint = head + std::string(1023 - head.size(), 'b');
  Options o;
  o.proxy_host = "127.0.0.1";
  o.proxy_port = proxy.port();
  auto r = Use(endpoint, o);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  REQUIRE(proxy.requests().size() == 1);
  CHECK(proxy.requests()[0].RequestLine() == "POST " + endpoint + " HTTP/1.1");
}

TEST_CASE("the scheme and the host in upper or mixed case work") {
  ScriptedServer server(tests::TaggedScript());
  for (const char* scheme : {"HTTP", "Http", "hTTp"}) {
    CAPTURE(std::string(scheme));
    auto r = Use(std::string(scheme) + "://127.0.0.1:" + Port(server) + kPath);
    INFO(r.status().ToString());
    CHECK(r.ok());
  }
  auto host = Use("http://LOCALHOST:" + Port(server) + kPath);
  INFO(host.status().ToString());
  CHECK(host.ok());
  CHECK(server.requests().size() == 4);

  const auto& pki = tests::TestPki::Get();
  ScriptedServer secure(tests::TlsOptions(pki.localhost), tests::TaggedScript());
  Options o;
  o.ca_file = pki.ca_file;
  for (const std::string& endpoint : {"HTTPS://localhost:" + Port(secure) + kPath, "HtTpS://LocalHost:" + Port(secure) + kPath}) {
    CAPTURE(endpoint);
    auto r = Use(endpoint, o);
    INFO(r.status().ToString());
    CHECK(r.ok());
  }
  CHECK(secure.handshakes_completed() == 2);  // TLS, verified for the host in any case
}
