// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// Status::request_may_have_been_sent() (issue 12, item 4): false when nothing of the request
// left the client - an invalid argument, an unresolvable name, a refused or never-completed
// connection, a failed TLS handshake, a proxy refusing the CONNECT tunnel - and true once the
// request may have reached the server: a timeout after sending, a SOAP fault, an HTTP error, a
// malformed answer, a connection closed after the request went out.


#include <doctest/doctest.h>


#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "brightoffice/client.h"
#include "canned_server.h"
#include "dropping_listener.h"
#include "fake_resolver.h"
#include "scripted_server.h"
#include "test_certs.h"
#include "tinyproxy.h"

using namespace brightoffice;
using brightoffice::tests::ScriptedAnswer;
using brightoffice::tests::ScriptedRequest;
using brightoffice::tests::ScriptedServer;
using brightoffice::tests::ScriptedServerOptions;
using brightoffice::tests::TestPki;
using std::chrono::milliseconds;

namespace {

CustomerInfo Jane() {
  CustomerInfo c;
  c.email = "jane@example.com";
  c.mfa_code = Secret("123456");
  return c;
}

StatusOr<ServiceResult> Call(Options o, const CustomerInfo& customer = Jane()) {
  if (o.deadline == Options().deadline) o.deadline = milliseconds(1500);
  if (o.ca_file.empty()) o.ca_file = TestPki::Get().ca_file;
  auto client = Client::Create(o, {"api-user", Secret("api-secret")});
  REQUIRE(client.ok());
  return client->ConfirmCustomerUserMfa(customer);
}

Options To(const std::string& endpoint) {
  Options o;
  o.endpoint = endpoint;
  return o;
}

void Check(const StatusOr<ServiceResult>& r, ErrorKind kind, bool may_have_been_sent) {
  INFO(r.status().ToString());
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().kind() == kind);
  CHECK(r.status().request_may_have_been_sent() == may_have_been_sent);
  // The flag travels with the Status wherever it goes: copies, and the exception value() throws.
  const Status copy = r.status();
  CHECK(copy.request_may_have_been_sent() == may_have_been_sent);
  try {
    (void)r.value();
    FAIL("value() did not throw");
  } catch (const BadStatusOrAccess& e) {
    CHECK(e.status().request_may_have_been_sent() == may_have_been_sent);
  }
}

}  // namespace

TEST_CASE("nothing left the client: request_may_have_been_sent() is false") {
  SUBCASE("invalid argument: text XML cannot carry") {
    tests::CannedServer server(tests::CannedReply{});
    CustomerInfo bad = Jane();
    bad.email = std::string("jane\xC3@example.com");
    Check(Call(To(server.endpoint()), bad), ErrorKind::kInvalidArgument, false);
    CHECK(server.connections() == 0);
  }
  SUBCASE("invalid argument: Client::Create refuses the options") {
    Options o = To("http://?x");
    auto client = Client::Create(o, {"api-user", Secret("api-secret")});
    REQUIRE_FALSE(client.ok());
    CHECK(client.status().kind() == ErrorKind::kInvalidArgument);
    CHECK_FALSE(client.status().request_may_have_been_sent());
  }
  SUBCASE("a name that does not resolve") {
    // Answered by the test's own resolver at once (a real lookup may wait on the network).
    tests::FakeResolve("no-such-host.brightoffice.test", {});
    auto r = Call(To("http://no-such-host.brightoffice.test/Webservices/BrightOfficeAPI.asmx"));
    REQUIRE_FALSE(r.ok());
    CHECK_FALSE(r.status().request_may_have_been_sent());
  }
  SUBCASE("connection refused, HTTP and HTTPS") {
    const int port = tests::UnusedPort();
    for (const char* scheme : {"http", "https"}) {
      CAPTURE(std::string(scheme));
      Check(Call(To(std::string(scheme) + "://127.0.0.1:" + std::to_string(port) + "/x")), ErrorKind::kConnection, false);
    }
  }
  SUBCASE("a connection that never completes (full accept queue): timeout") {
    tests::DroppingListener listener;
    REQUIRE(listener.Open());
    Check(Call(To("http://127.0.0.1:" + std::to_string(listener.port()) + "/x")), ErrorKind::kTimeout, false);
  }
  SUBCASE("a certificate the client does not trust") {
    ScriptedServer server(tests::TlsOptions(TestPki::Get().untrusted), [](const ScriptedRequest&) { return ScriptedAnswer(); });
    Check(Call(To(server.endpoint("localhost"))), ErrorKind::kTls, false);
    CHECK(server.requests().empty());
  }
  SUBCASE("https:// to a plain HTTP server") {
    ScriptedServer server([](const ScriptedRequest&) { return ScriptedAnswer::Once(tests::HttpAnswer("x")); });
    auto r = Call(To("https://127.0.0.1:" + std::to_string(server.port()) + "/x"));
    REQUIRE_FALSE(r.ok());
    CHECK_FALSE(r.status().request_may_have_been_sent());
  }
  SUBCASE("a handshake the server never answers: timeout") {
    tests::CannedReply silent;
    silent.behaviour = tests::CannedReply::Behaviour::kSilent;
    tests::CannedServer server(silent);
    Check(Call(To("https://127.0.0.1:" + std::to_string(server.port()) + "/x")), ErrorKind::kTimeout, false);
  }
  SUBCASE("a proxy answering 407 to CONNECT") {
    ScriptedServer proxy([](const ScriptedRequest&) {
      return ScriptedAnswer::Once("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"p\"\r\nContent-Length: 0\r\n\r\n");
    });
    Options o = To("https://localhost:9/Webservices/BrightOfficeAPI.asmx");
    o.proxy_host = "127.0.0.1";
    o.proxy_port = proxy.port();
    Check(Call(o), ErrorKind::kHttpStatus, false);
  }
  SUBCASE("tinyproxy wanting credentials that were not given, HTTPS") {
    tests::TinyProxy proxy("proxyuser", "Pr0xyPass");
    ScriptedServer server(tests::TlsOptions(), [](const ScriptedRequest&) { return ScriptedAnswer(); });
    Options o = To(server.endpoint("localhost"));
    o.proxy_host = "127.0.0.1";
    o.proxy_port = proxy.port();
    Check(Call(o), ErrorKind::kHttpStatus, false);
    CHECK(server.connections() == 0);
  }
  SUBCASE("a proxy that never answers CONNECT: timeout") {
    ScriptedServer proxy([](const ScriptedRequest&) { return ScriptedAnswer::Once("", ScriptedAnswer::Then::kHold); });
    Options o = To("https://localhost:9/Webservices/BrightOfficeAPI.asmx");
    o.proxy_host = "127.0.0.1";
    o.proxy_port = proxy.port();
    Check(Call(o), ErrorKind::kTimeout, false);
  }
}

TEST_CASE("the request may have arrived: request_may_have_been_sent() is true") {
  SUBCASE("a timeout after sending") {
    ScriptedServer server([](const ScriptedRequest&) { return ScriptedAnswer::Once("", ScriptedAnswer::Then::kHold); });
    Check(Call(To(server.endpoint())), ErrorKind::kTimeout, true);
    CHECK(server.requests().size() == 1);
  }
  SUBCASE("a timeout while the answer arrives") {
    ScriptedServer server([](const ScriptedRequest&) {
      return ScriptedAnswer::Once("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n<?xml", ScriptedAnswer::Then::kHold);
    });
    Check(Call(To(server.endpoint())), ErrorKind::kTimeout, true);
  }
  SUBCASE("a SOAP fault with HTTP 500") {
    ScriptedServer server([](const ScriptedRequest&) { return ScriptedAnswer::Once(tests::HttpAnswer(tests::SoapFault("no"), 500)); });
    Check(Call(To(server.endpoint())), ErrorKind::kSoapFault, true);
  }
  SUBCASE("an HTTP error") {
    ScriptedServer server([](const ScriptedRequest&) { return ScriptedAnswer::Once(tests::HttpAnswer("<html/>", 404)); });
    Check(Call(To(server.endpoint())), ErrorKind::kHttpStatus, true);
  }
  SUBCASE("a malformed answer") {
    ScriptedServer server([](const ScriptedRequest&) { return ScriptedAnswer::Once(tests::HttpAnswer("this is not xml")); });
    Check(Call(To(server.endpoint())), ErrorKind::kMalformedResponse, true);
  }
  SUBCASE("the server reads the request and closes without an answer") {
    ScriptedServer server([](const ScriptedRequest&) { return ScriptedAnswer::Once(""); });
    Check(Call(To(server.endpoint())), ErrorKind::kConnection, true);
  }
  SUBCASE("over HTTPS: the server reads the request and closes without an answer") {
    ScriptedServer server(tests::TlsOptions(), [](const ScriptedRequest&) { return ScriptedAnswer::Once(""); });
    Check(Call(To(server.endpoint("localhost"))), ErrorKind::kConnection, true);
    CHECK(server.requests().size() == 1);
  }
  SUBCASE("plain HTTP through a proxy that answers 407: the whole request went to the proxy") {
    ScriptedServer proxy([](const ScriptedRequest&) {
      return ScriptedAnswer::Once("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n");
    });
    Options o = To("http://localhost:9/Webservices/BrightOfficeAPI.asmx");
    o.proxy_host = "127.0.0.1";
    o.proxy_port = proxy.port();
    Check(Call(o), ErrorKind::kHttpStatus, true);
    REQUIRE(proxy.requests().size() == 1);
    CHECK(proxy.requests()[0].RequestLine().rfind("POST http://localhost:9/", 0) == 0);
  }
}
