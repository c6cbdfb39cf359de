// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// Options::proxy_*: calls through Debian's tinyproxy on loopback, plain HTTP (absolute URL) and
// HTTPS (CONNECT tunnel, certificate still verified against the endpoint), Basic
// authentication with the proxy, and a proxy that is not there.

#include <doctest/doctest.h>

#include <string>

#include "brightoffice/client.h"
#include "brightoffice/testing/mock_server.h"
#include "canned_server.h"
#include "test_certs.h"
#include "tinyproxy.h"

using namespace brightoffice;
using brightoffice::testing::MockServer;
using brightoffice::testing::MockServerOptions;
using brightoffice::tests::TestPki;
using brightoffice::tests::TinyProxy;

namespace {

StatusOr<ServiceResult> Call(const Options& o) {
  auto client = Client::Create(o, {"api-user", Secret("api-secret")});
  REQUIRE(client.ok());
  CustomerInfo c;
  c.email = "proxied@example.com";
  c.mfa_code = Secret("123456");
  return client->ConfirmCustomerUserMfa(c);
}

Options Through(const TinyProxy& proxy, const std::string& endpoint) {
  Options o;
  o.endpoint = endpoint;
  o.deadline = std::chrono::seconds(10);
  o.proxy_host = "127.0.0.1";
  o.proxy_port = proxy.port();
  return o;
}

std::unique_ptr<MockServer> Start(bool tls, bool capture = false) {
  MockServerOptions so;
  so.capture_requests = capture;
  if (tls) {
    so.tls_cert_file = TestPki::Get().localhost.cert;
    so.tls_key_file = TestPki::Get().localhost.key;
  }
  auto server = MockServer::Start(so);
  REQUIRE(server.ok());
  return std::move(*server);
}

std::string HttpsLocalhost(const MockServer& server) {
  return "https://localhost:" + std::to_string(server.port()) + "/Webservices/BrightOfficeAPI.asmx";
}

}  // namespace

TEST_CASE("HTTP through the proxy: the request reaches the mock by way of tinyproxy") {
  TinyProxy proxy;
  auto server = Start(false, true);
  auto r = Call(Through(proxy, server->endpoint()));
  INFO(r.status().ToString() << "\n" << proxy.Log());
  REQUIRE(r.ok());
  CHECK(r->succeeded());
  const auto requests = server->recorded_requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].head.find("tinyproxy") != std::string::npos);  // its Via header
  CHECK(proxy.Log().find("POST " + server->endpoint()) != std::string::npos);
}

TEST_CASE("HTTPS through the proxy: a CONNECT tunnel, the certificate verified for the endpoint") {
  TinyProxy proxy;
  auto server = Start(true);
  Options o = Through(proxy, HttpsLocalhost(*server));
  o.ca_file = TestPki::Get().ca_file;
  auto r = Call(o);
  INFO(r.status().ToString() << "\n" << proxy.Log());
  REQUIRE(r.ok());
  CHECK(r->succeeded());
  CHECK(proxy.Log().find("CONNECT localhost:" + std::to_string(server->port())) != std::string::npos);

  // Through the tunnel, an untrusted certificate is still refused.
  o.ca_file.clear();
  auto untrusted = Call(o);
  REQUIRE_FALSE(untrusted.ok());
  CHECK(untrusted.status().kind() == ErrorKind::kTls);
}

TEST_CASE("a proxy that wants Basic authentication") {
  TinyProxy proxy("proxyuser", "Pr0xyPass");
  auto plain = Start(false);
  auto tls = Start(true);
  for (bool https : {false, true}) {
    CAPTURE(https);
    Options o = Through(proxy, https ? HttpsLocalhost(*tls) : plain->endpoint());
    o.ca_file = TestPki::Get().ca_file;
    o.proxy_username = "proxyuser";
    o.proxy_password = Secret("Pr0xyPass");
    auto r = Call(o);
    INFO(r.status().ToString() << "\n" << proxy.Log());
    CHECK(r.ok());

    o.proxy_password = Secret("wrong-Pr0xyPass");
    auto refused = Call(o);
    REQUIRE_FALSE(refused.ok());
    INFO(refused.status().ToString());
    CHECK(refused.status().kind() == ErrorKind::kHttpStatus);
    // tinyproxy 1.11 answers wrong credentials with 401 (and none at all with 407).
    CHECK((refused.status().http_status() == 401 || refused.status().http_status() == 407));
    CHECK(refused.status().message().find("Pr0xyPass") == std::string::npos);

    o.proxy_username.clear();
    auto anonymous = Call(o);
    REQUIRE_FALSE(anonymous.ok());
    CHECK(anonymous.status().kind() == ErrorKind::kHttpStatus);
    CHECK(anonymous.status().http_status() == 407);
    CHECK(anonymous.status().message().find("proxy") != std::string::npos);
  }
}

TEST_CASE("a proxy that is not there: connection error; bad proxy settings: invalid_argument") {
  Options o;
  o.endpoint = "http://127.0.0.1:9/Webservices/BrightOfficeAPI.asmx";
  o.proxy_host = "127.0.0.1";
  o.proxy_port = tests::UnusedPort();
  auto r = Call(o);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().kind() == ErrorKind::kConnection);

  Options bad = o;
  bad.proxy_port = 0;
  CHECK(Client::Create(bad, {"api-user", Secret("api-secret")}).status().kind() == ErrorKind::kInvalidArgument);
  bad = o;
  bad.proxy_host = "http://127.0.0.1";
  CHECK(Client::Create(bad, {"api-user", Secret("api-secret")}).status().kind() == ErrorKind::kInvalidArgument);
  bad = o;
  bad.proxy_username = "a:b";
  CHECK(Client::Create(bad, {"api-user", Secret("api-secret")}).status().kind() == ErrorKind::kInvalidArgument);
}
