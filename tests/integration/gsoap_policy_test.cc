// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// brightoffice::gsoap::Policy on a gSOAP application's own proxy (the generated
// BrightOfficeAPISoapProxy driven directly, as an existing gSOAP application does): the
// deadline against a silent server, TLS against an untrusted certificate, the size limit
// against a 100 MB answer, the endpoint checked per call, secrets named per call, pooling of a
// completely framed answer, soap_copy, and the API's refusals.

#include <doctest/doctest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "brightoffice/gsoap/policy.h"
#include "brightoffice/testing/mock_server.h"
#include "brightoffice_gsoapBrightOfficeAPISoapProxy.h"
#include "canned_server.h"
#include "scripted_server.h"
#include "test_certs.h"
#include "time_scale.h"

using namespace brightoffice;
using brightoffice::testing::MockServer;
using Clock = std::chrono::steady_clock;
using Proxy = brightoffice_gsoap::BrightOfficeAPISoapProxy;

namespace {

constexpr std::chrono::milliseconds kDeadline{1500};
// How late past its deadline a call may end: 500 ms, stretched under valgrind and the
// sanitizers (tests/support/time_scale.h).
std::chrono::milliseconds Slack() { return std::chrono::milliseconds(500) * tests::TimeScale(); }

// A gSOAP application's request, filled by hand.
struct Request {
  brightoffice_gsoap::tempuri__CustomerInfo customer;
  brightoffice_gsoap::tempuri__UserInfo user;
  brightoffice_gsoap::_tempuri__ConfirmCustomerUserMFA request;
  std::string email = "jane@example.com", code = "123456", username = "api-user", password = "api-secret";
  Request() {
    customer.Id = "00000000-0000-0000-0000-000000000000";
    customer.Email = &email;
    customer.MFACode = &code;
    user.Username = &username;
    user.Password = &password;
    request.CustomerInfo = &customer;
    request.UserInfo = &user;
  }
};

gsoap::Policy MakePolicy(Options o = {}) {
  if (o.deadline == Options{}.deadline) o.deadline = kDeadline;
  auto p = gsoap::Policy::Create(o);
  INFO(p.status().ToString());
  REQUIRE(p.ok());
  return *p;
}

// One call on `proxy` (SOAP 1.2, as the generated proxy sends by default); its checked outcome.
Status CallOnce(const gsoap::Policy& policy, Proxy& proxy, const std::string& endpoint, Request& r,
                std::string* message = nullptr) {
  brightoffice_gsoap::_tempuri__ConfirmCustomerUserMFAResponse response;
  const int rc = proxy.ConfirmCustomerUserMFA_(endpoint.c_str(), nullptr, &r.request, response);
  Status s = policy.Check(proxy.soap, rc);
  if (message != nullptr && s.ok() && response.ConfirmCustomerUserMFAResult != nullptr &&
      response.ConfirmCustomerUserMFAResult->Message != nullptr) {
    *message = *response.ConfirmCustomerUserMFAResult->Message;
  }
  proxy.destroy();
  return s;
}

std::string Soap12Answer(const std::string& message) {
  return tests::HttpResponse(200, "application/soap+xml; charset=utf-8", tests::SoapResult12(message));
}

// Accepts one connection; to its request answers a 100 MB body that starts like a SOAP answer,
// until the client closes the connection. sent(): the bytes of the body written so far.
class HugeAnswerServer {
 public:
  HugeAnswerServer() {
    listen_fd_ = tests::ListenLoopback(4, port_);
    REQUIRE(listen_fd_ >= 0);
    thread_ = std::thread([this] {
      const int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) return;
      char buf[4096];
      (void)::recv(fd, buf, sizeof buf, 0);
      const std::string head =
          "HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml\r\nContent-Length: 104857600\r\n\r\n"
          "<?xml version=\"1.0\"?><soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\"><soap:Body>";
      std::string chunk(65536, ' ');
      std::size_t sent = 0;
      if (::send(fd, head.data(), head.size(), MSG_NOSIGNAL) > 0) {
        while (sent < 104857600 && !stop_) {
          const ssize_t w = ::send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL);
          if (w <= 0) break;
          sent += static_cast<std::size_t>(w);
          sent_ = sent;
        }
      }
      ::close(fd);
      done_ = true;
    });
  }
  ~HugeAnswerServer() {
    stop_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);
    thread_.join();
    ::close(listen_fd_);
  }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_) + "/Webservices/BrightOfficeAPI.asmx"; }
  std::size_t sent() const { return sent_; }
  /// Whether the server has stopped writing (the client closed, or all was written) within
  /// `limit`.
  bool WaitDone(std::chrono::milliseconds limit) const {
    const auto until = Clock::now() + limit;
    while (!done_ && Clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return done_;
  }

 private:
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<bool> done_{false};
  std::atomic<std::size_t> sent_{0};
  std::thread thread_;
};

}  // namespace

TEST_CASE("a silent server: the application's call ends by the policy's deadline, with timeout") {
  tests::CannedReply silent;
  silent.behaviour = tests::CannedReply::Behaviour::kSilent;
  tests::CannedServer server(silent);
  const gsoap::Policy policy = MakePolicy();
  Proxy proxy(SOAP_C_UTFSTRING | SOAP_IO_KEEPALIVE);
  REQUIRE(policy.Attach(proxy.soap).ok());
  Request r;
  const auto start = Clock::now();
  const Status s = CallOnce(policy, proxy, server.endpoint(), r);
  const auto took = Clock::now() - start;
  CHECK(s.kind() == ErrorKind::kTimeout);
  CHECK(s.request_may_have_been_sent());
  CHECK(took >= kDeadline - std::chrono::milliseconds(50));
  CHECK(took < kDeadline + Slack());
}

TEST_CASE("a certificate the policy does not trust: tls, and nothing sent") {
  const auto& pki = tests::TestPki::Get();
  testing::MockServerOptions mo;
  mo.tls_cert_file = pki.untrusted.cert;
  mo.tls_key_file = pki.untrusted.key;
  auto server = MockServer::Start(mo);
  REQUIRE(server.ok());
  Options o;
  o.ca_file = pki.ca_file;
  const gsoap::Policy policy = MakePolicy(o);
  Proxy proxy(SOAP_C_UTFSTRING | SOAP_IO_KEEPALIVE);
  REQUIRE(policy.Attach(proxy.soap).ok());
  Request r;
  const Status s =
      CallOnce(policy, proxy, "https://localhost:" + std::to_string((*server)->port()) + "/Webservices/BrightOfficeAPI.asmx", r);
  INFO(s.ToString());
  CHECK(s.kind() == ErrorKind::kTls);
  CHECK(s.message().find("unable to get local issuer certificate") != std::string::npos);
  CHECK_FALSE(s.request_may_have_been_sent());
  CHECK((*server)->requests_answered() == 0);
  // The same policy trusting the test CA talks to a trusted server.
  mo.tls_cert_file = pki.localhost.cert;
  mo.tls_key_file = pki.localhost.key;
  auto trusted = MockServer::Start(mo);
  REQUIRE(trusted.ok());
  std::string message;
  const Status ok = CallOnce(policy, proxy, "https://localhost:" + std::to_string((*trusted)->port()) +
                                                "/Webservices/BrightOfficeAPI.asmx",
                             r, &message);
  INFO(ok.ToString());
  CHECK(ok.ok());
  CHECK(message.find("MFA confirmed for jane@example.com") == 0);
}

TEST_CASE("a 100 MB answer: malformed_response naming the limit, long before the 100 MB") {
  HugeAnswerServer server;
  Options o;
  o.deadline = std::chrono::seconds(20);
  const gsoap::Policy policy = MakePolicy(o);
  Proxy proxy(SOAP_C_UTFSTRING | SOAP_IO_KEEPALIVE);
  REQUIRE(policy.Attach(proxy.soap).ok());
  Request r;
  const Status s = CallOnce(policy, proxy, server.endpoint(), r);
  INFO(s.ToString());
  CHECK(s.kind() == ErrorKind::kMalformedResponse);
  CHECK(s.message().find("max_response_bytes") != std::string::npos);
  // The client stopped reading and closed at its limit (max_response_bytes, 8 MiB by default):
  // what the server got to write is that and the sockets' buffers, far from the 100 MB.
  REQUIRE(server.WaitDone(std::chrono::milliseconds(5000) * tests::TimeScale()));
  CHECK(server.sent() > 0);
  CHECK(server.sent() < std::size_t{104857600} / 4);
}

TEST_CASE("every endpoint a call passes goes through the strict parser; a refused one sends nothing") {
  std::atomic<int> connections{0};
  tests::CannedServer server([&](const std::string&) {
    ++connections;
    return tests::CannedReply{tests::CannedReply::Behaviour::kReply, Soap12Answer("ok")};
  });
  const gsoap::Policy policy = MakePolicy();
  Proxy proxy(SOAP_C_UTFSTRING | SOAP_IO_KEEPALIVE);
  REQUIRE(policy.Attach(proxy.soap).ok());
  Request r;
  const std::string port = std::to_string(server.port());
  for (const std::string& bad : std::vector<std::string>{"http://?x", "http:///x", "http://evil@127.0.0.1:" + port + "/", "http://127.0.0.1:" + port + "/a@b",
                                "http://127.0.0.1:" + std::to_string(65536 + server.port()) + "/", "ftp://127.0.0.1/",
                                "http://127.0.0.1:" + port + "x/"}) {
    CAPTURE(bad);
    const Status s = CallOnce(policy, proxy, bad, r);
    CHECK(s.kind() == ErrorKind::kInvalidArgument);
    CHECK_FALSE(s.request_may_have_been_sent());
  }
  CHECK(server.connections() == 0);
  // An odd but valid spelling works, and the answer leaves the connection for the next calls.
  std::string message;
  for (int i = 0; i < 3; ++i) {
    const Status s = CallOnce(policy, proxy, "HTTP://127.0.0.1:" + port + "?x=1", r, &message);
    INFO(s.ToString());
    CHECK(s.ok());
    CHECK(message == "ok");
  }
  CHECK(server.connections() == 1);
  const std::vector<std::string> requests = server.requests();
  REQUIRE_FALSE(requests.empty());
  CHECK(requests[0].rfind("POST /?x=1 HTTP/1.1\r\n", 0) == 0);
  CHECK(requests[0].find("User-Agent: brightoffice-cpp/") != std::string::npos);
}

TEST_CASE("AddSecret: the call's own secrets are hidden in its errors and trace, then forgotten") {
  const std::string fault =
      "<?xml version=\"1.0\"?><soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\"><soap:Body>"
      "<soap:Fault><soap:Code><soap:Value>soap:Receiver</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang=\"en\">"
      "bad code &#x36;54321 for user-pw</soap:Text></soap:Reason></soap:Fault></soap:Body></soap:Envelope>";
  tests::CannedServer server(
      tests::CannedReply{tests::CannedReply::Behaviour::kReply, tests::HttpResponse(500, "application/soap+xml", fault)});
  std::vector<std::string> trace;
  Options o;
  o.trace = [&trace](std::string_view m) { trace.emplace_back(m); };
  const gsoap::Policy policy = MakePolicy(o);
  Proxy proxy(SOAP_C_UTFSTRING | SOAP_IO_KEEPALIVE);
  REQUIRE(policy.Attach(proxy.soap).ok());
  Request r;
  r.code = "654321";
  r.password = "user-pw";
  policy.AddSecret(proxy.soap, r.code);
  policy.AddSecret(proxy.soap, r.password);
  const Status s = CallOnce(policy, proxy, server.endpoint(), r);
  INFO(s.ToString());
  CHECK(s.kind() == ErrorKind::kSoapFault);
  CHECK(s.request_may_have_been_sent());
  CHECK(s.fault_string() == "bad code *** for ***");
  REQUIRE(trace.size() == 2);
  for (const std::string& t : trace) {
    CHECK(t.find("654321") == std::string::npos);
    CHECK(t.find("54321") == std::string::npos);
    CHECK(t.find("user-pw") == std::string::npos);
  }
  CHECK(trace[0].find("MFACode>***</") != std::string::npos);
  // Forgotten after the call: the next call shows them (they are not its secrets).
  trace.clear();
  const Status again = CallOnce(policy, proxy, server.endpoint(), r);
  CHECK(again.fault_string() == "bad code 654321 for user-pw");
}

TEST_CASE("a copy of an attached context carries the policy, with a connection of its own") {
  tests::CannedServer server(tests::CannedReply{tests::CannedReply::Behaviour::kReply, Soap12Answer("copied")});
  const gsoap::Policy policy = MakePolicy();
  Proxy proxy(SOAP_C_UTFSTRING | SOAP_IO_KEEPALIVE);
  REQUIRE(policy.Attach(proxy.soap).ok());
  Request r;
  CHECK(CallOnce(policy, proxy, server.endpoint(), r).ok());
  Proxy* copy = proxy.copy();
  REQUIRE(copy != nullptr);
  CHECK(copy->soap->socket != proxy.soap->socket);
  std::string message;
  const Status s = CallOnce(policy, *copy, server.endpoint(), r, &message);
  INFO(s.ToString());
  CHECK(s.ok());
  CHECK(message == "copied");
  CHECK(CallOnce(policy, proxy, server.endpoint(), r).ok());
  delete copy;
  CHECK(server.connections() == 2);
}

TEST_CASE("the policy's API refuses what it cannot do") {
  Options bad;
  bad.deadline = std::chrono::milliseconds::max();
  CHECK(gsoap::Policy::Create(bad).status().kind() == ErrorKind::kInvalidArgument);
  Options header;
  header.user_agent = "x\r\nInjected: 1";
  CHECK(gsoap::Policy::Create(header).status().kind() == ErrorKind::kInvalidArgument);
  Options endpoint;
  endpoint.endpoint = "http://?x";
  CHECK(gsoap::Policy::Create(endpoint).status().kind() == ErrorKind::kInvalidArgument);
  const gsoap::Policy policy = MakePolicy();
  CHECK(policy.Attach(nullptr).kind() == ErrorKind::kInvalidArgument);
  Proxy proxy;
  CHECK(policy.Check(proxy.soap, SOAP_OK).kind() == ErrorKind::kInvalidArgument);
  REQUIRE(policy.Attach(proxy.soap).ok());
  CHECK(policy.Attach(proxy.soap).kind() == ErrorKind::kInvalidArgument);
  // A Policy may go before the contexts it is attached to.
  {
    const gsoap::Policy short_lived = MakePolicy();
    Proxy other;
    REQUIRE(short_lived.Attach(other.soap).ok());
    Proxy* kept = other.copy();
    delete kept;
  }
}
