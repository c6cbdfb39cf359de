// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// Failures are kept apart from delivered results, each with its kind, and nothing is ever
// sent twice: faults, HTTP errors (HTML 500, 302 not followed), refused and silent servers,
// limits, and input refused before anything is sent.

#include <doctest/doctest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "brightoffice/client.h"
#include "canned_server.h"

using namespace brightoffice;
using brightoffice::tests::CannedReply;
using brightoffice::tests::CannedServer;
using brightoffice::tests::HttpResponse;
using Clock = std::chrono::steady_clock;

namespace {

CustomerInfo Jane(const char* code = "123456") {
  CustomerInfo c;
  c.email = "jane@example.com";
  c.mfa_code = Secret(code);
  return c;
}

StatusOr<ServiceResult> Call(const std::string& endpoint, SoapVersion version = SoapVersion::kSoap11,
                             std::chrono::milliseconds deadline = std::chrono::seconds(5),
                             const CustomerInfo& customer = Jane(), std::size_t max_bytes = 8 << 20) {
  Options o;
  o.endpoint = endpoint;
  o.soap_version = version;
  o.deadline = deadline;
  o.max_response_bytes = max_bytes;
  auto client = Client::Create(o, {"api-user", Secret("api-secret")});
  REQUIRE(client.ok());
  return client->ConfirmCustomerUserMfa(customer);
}

CannedReply Reply(std::string bytes, bool close_after = false) {
  CannedReply r;
  r.bytes = std::move(bytes);
  r.close_after = close_after;
  return r;
}

std::string Envelope11(const std::string& body_content) {
  return "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>" +
         body_content + "</soap:Body></soap:Envelope>";
}

std::string Result11(const std::string& code) {
  return Envelope11("<ConfirmCustomerUserMFAResponse xmlns=\"http://tempuri.org/\"><ConfirmCustomerUserMFAResult><SuccessCode>" +
                    code + "</SuccessCode><Message>m</Message><ExceptionMessage /><IsSystemError>false</IsSystemError></ConfirmCustomerUserMFAResult></ConfirmCustomerUserMFAResponse>");
}

}  // namespace

TEST_CASE("an ASMX SOAP 1.1 fault: soap_fault with code, string and detail, secrets redacted") {
  const std::string fault = Envelope11(
      "<soap:Fault><faultcode>soap:Server</faultcode><faultstring>Server was unable to process request. ---&gt; "
      "Bad code 987654 for api-secret</faultstring><detail /></soap:Fault>");
  CannedServer server(Reply(HttpResponse(500, "text/xml; charset=utf-8", fault), true));
  auto r = Call(server.endpoint(), SoapVersion::kSoap11, std::chrono::seconds(5), Jane("987654"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().kind() == ErrorKind::kSoapFault);
  CHECK(r.status().http_status() == 500);
  // gSOAP reports the QName with its own prefix for the envelope namespace.
  CHECK(r.status().fault_code() == "SOAP-ENV:Server");
  CHECK(r.status().fault_string() == "Server was unable to process request. ---> Bad code *** for ***");
  CHECK(r.status().message().find("987654") == std::string::npos);
  CHECK(r.status().message().find("api-secret") == std::string::npos);
}

TEST_CASE("a SOAP 1.2 fault with a subcode") {
  const std::string fault =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\"><soap:Body>"
      "<soap:Fault><soap:Code><soap:Value>soap:Sender</soap:Value><soap:Subcode><soap:Value xmlns:q=\"urn:x\">q:Bad</soap:Value></soap:Subcode></soap:Code>"
      "<soap:Reason><soap:Text xml:lang=\"en\">Nope</soap:Text></soap:Reason><soap:Detail /></soap:Fault></soap:Body></soap:Envelope>";
  CannedServer server(Reply(HttpResponse(500, "application/soap+xml; charset=utf-8", fault), true));
  auto r = Call(server.endpoint(), SoapVersion::kSoap12);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().kind() == ErrorKind::kSoapFault);
  CHECK(r.status().fault_string() == "Nope");
  CHECK(r.status().fault_code().find("Sender") != std::string::npos);
}

TEST_CASE("HTTP 500 with an HTML body is an http_status error") {
  CannedServer server(Reply(HttpResponse(500, "text/html", "<html><body><h1>Runtime Error</h1></body></html>"), true));
  auto r = Call(server.endpoint());
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().kind() == ErrorKind::kHttpStatus);
  CHECK(r.status().http_status() == 500);
}

TEST_CASE("HTTP errors without a SOAP body") {
  for (int status : {400, 401, 403, 404, 415, 503}) {
    CAPTURE(status);
    CannedServer server(Reply(HttpResponse(status, "text/html", "<html>no</html>"), true));
    auto r = Call(server.endpoint());
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().kind() == ErrorKind::kHttpStatus);
    CHECK(r.status().http_status() == status);
  }
}

TEST_CASE("an HTTP 302 is reported, never followed") {
  for (int status : {301, 302, 307, 308}) {
    CAPTURE(status);
    CannedServer target(Reply(HttpResponse(200, "text/xml; charset=utf-8", Result11("SUCCESS"))));
    CannedServer server(Reply(HttpResponse(status, "text/html", "moved", "Location: " + target.endpoint() + "\r\n")));
    auto r = Call(server.endpoint());
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().kind() == ErrorKind::kHttpStatus);
    CHECK(r.status().http_status() == status);
    CHECK(server.requests().size() == 1);
    CHECK(target.connections() == 0);
  }
}

TEST_CASE("connection refused") {
  const int port = tests::UnusedPort();
  auto r = Call("http://127.0.0.1:" + std::to_string(port) + "/Webservices/BrightOfficeAPI.asmx");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().kind() == ErrorKind::kConnection);
}

TEST_CASE("a server that accepts and never answers: timeout within the deadline plus 0.5 s, sent once") {
  CannedReply silent;
  silent.behaviour = CannedReply::Behaviour::kSilent;
  CannedServer server(silent);
  const auto start = Clock::now();
  auto r = Call(server.endpoint(), SoapVersion::kSoap11, std::chrono::milliseconds(1500));
  const auto elapsed = Clock::now() - start;
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().kind() == ErrorKind::kTimeout);
  CHECK(elapsed >= std::chrono::milliseconds(1400));
  CHECK(elapsed < std::chrono::milliseconds(2000));
  CHECK(server.requests().size() == 1);
  CHECK(server.connections() == 1);
}

TEST_CASE("a server that closes without answering: connection error, not retried") {
  CannedReply close;
  close.behaviour = CannedReply::Behaviour::kClose;
  CannedServer server(close);
  auto r = Call(server.endpoint());
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().kind() == ErrorKind::kConnection);
  CHECK(server.requests().size() == 1);
}

// A request larger than the socket buffers into a connection the server closes after reading a
// little: the first write after the close is answered with a reset, later ones fail with EPIPE.
// gSOAP's own send() would raise SIGPIPE there (ending this process) without MSG_NOSIGNAL.
TEST_CASE("a large request into a connection the server closed: connection error, never SIGPIPE") {
  int port = 0;
  const int listener = tests::ListenLoopback(4, port);
  REQUIRE(listener >= 0);
  std::thread server([listener] {
    for (int i = 0; i < 3; ++i) {
      const int fd = ::accept(listener, nullptr, nullptr);
      if (fd < 0) return;
      char head[4096];
      (void)::recv(fd, head, sizeof head, 0);
      ::close(fd);  // unread data: the kernel answers with a reset
    }
  });
  CustomerInfo big = Jane();
  big.email = std::string(1 << 20, 'a') + "@example.com";
  const std::string endpoint =
      "http://127.0.0.1:" + std::to_string(port) + "/Webservices/BrightOfficeAPI.asmx";
  for (int round = 0; round < 3; ++round) {
    auto r = Call(endpoint, SoapVersion::kSoap11, std::chrono::seconds(10), big);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().kind() == ErrorKind::kConnection);
  }
  server.join();
  ::close(listener);
}

TEST_CASE("malformed answers") {
  struct Case {
    const char* name;
    std::string bytes;
  };
  const Case cases[] = {
      {"not XML", HttpResponse(200, "text/xml; charset=utf-8", "this is not xml")},
      {"HTML with status 200", HttpResponse(200, "text/html", "<html><body>maintenance</body></html>")},
      {"no result element", HttpResponse(200, "text/xml; charset=utf-8",
                                         Envelope11("<ConfirmCustomerUserMFAResponse xmlns=\"http://tempuri.org/\"/>"))},
      {"wrong envelope namespace", HttpResponse(200, "text/xml; charset=utf-8",
                                                "<soap:Envelope xmlns:soap=\"urn:wrong\"><soap:Body/></soap:Envelope>")},
      {"empty 200", HttpResponse(200, "text/xml; charset=utf-8", "")},
  };
  for (const auto& c : cases) {
    CAPTURE(std::string(c.name));
    CannedServer server(Reply(c.bytes, true));
    auto r = Call(server.endpoint());
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().kind() == ErrorKind::kMalformedResponse);
  }
}

TEST_CASE("an unknown SuccessCode on the wire is delivered as kUnknown with its text") {
  CannedServer server(Reply(HttpResponse(200, "text/xml; charset=utf-8", Result11("PENDINGAPPROVAL"))));
  auto r = Call(server.endpoint());
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  CHECK(r->code == SuccessCode::kUnknown);
  CHECK(r->raw_code == "PENDINGAPPROVAL");
  CHECK(r->message == std::optional<std::string>("m"));
  CHECK(r->exception_message == std::optional<std::string>(""));
}

TEST_CASE("an answer larger than max_response_bytes is refused") {
  std::string big = Result11("SUCCESS");
  big.insert(big.find("<Message>m") + 9, std::string(100000, 'x'));
  CannedServer server(Reply(HttpResponse(200, "text/xml; charset=utf-8", big)));
  auto r = Call(server.endpoint(), SoapVersion::kSoap11, std::chrono::seconds(5), Jane(), 4096);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().kind() == ErrorKind::kMalformedResponse);
  CHECK(r.status().message().find("max_response_bytes") != std::string::npos);
  auto ok = Call(server.endpoint(), SoapVersion::kSoap11, std::chrono::seconds(5), Jane(), 1 << 20);
  CHECK(ok.ok());
}

TEST_CASE("input that cannot be sent faithfully is refused before anything is sent") {
  CannedServer server(Reply(HttpResponse(200, "text/xml; charset=utf-8", Result11("SUCCESS"))));
  CustomerInfo bad_email = Jane();
  bad_email.email = std::string("jane\xC3@example.com");
  CustomerInfo control = Jane(std::string("12\x01" "456").c_str());
  CustomerInfo bad_password = Jane();
  bad_password.new_password = Secret(std::string("pw\0nul", 6));
  for (const CustomerInfo* c : {&bad_email, &control, &bad_password}) {
    auto r = Call(server.endpoint(), SoapVersion::kSoap11, std::chrono::seconds(5), *c);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().kind() == ErrorKind::kInvalidArgument);
    CHECK(r.status().message().find("456") == std::string::npos);
  }
  CHECK(server.connections() == 0);
}

TEST_CASE("a server that closes the connection after every response: each call opens a new one") {
  CannedServer server(Reply(HttpResponse(200, "text/xml; charset=utf-8", Result11("SUCCESS")), true));
  Options o;
  o.endpoint = server.endpoint();
  auto client = Client::Create(o, {"api-user", Secret("api-secret")});
  REQUIRE(client.ok());
  for (int i = 0; i < 5; ++i) {
    // The server says nothing (no "Connection: close") and closes right after its answer; give
    // its FIN time to arrive so that the pool can see the closed connection. Without the pause
    // the next request may race the FIN, and a request that may have arrived is never resent.
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto r = client->ConfirmCustomerUserMfa(Jane());
    INFO(i << ": " << r.status().ToString());
    REQUIRE(r.ok());
    CHECK(r->succeeded());
  }
  CHECK(server.requests().size() == 5);
  CHECK(server.connections() == 5);
}

TEST_CASE("keep-alive: consecutive calls share one connection") {
  CannedServer server(Reply(HttpResponse(200, "text/xml; charset=utf-8", Result11("SUCCESS"))));
  Options o;
  o.endpoint = server.endpoint();
  auto client = Client::Create(o, {"api-user", Secret("api-secret")});
  REQUIRE(client.ok());
  for (int i = 0; i < 5; ++i) REQUIRE(client->ConfirmCustomerUserMfa(Jane()).ok());
  CHECK(server.connections() == 1);
  CHECK(server.requests().size() == 5);
}
