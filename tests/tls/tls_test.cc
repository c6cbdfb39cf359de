// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// HTTPS end to end: brightoffice-mock serving TLS with certificates made at test time, and the
// client's verification of them (trusted CA file and folder, untrusted CA, wrong host name,
// expired, self-signed, the insecure switches), SNI, and the mock's own TLS options.

#include <doctest/doctest.h>

#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <string>
#include <thread>

#include "brightoffice/client.h"
#include "brightoffice/testing/mock_server.h"
#include "canned_server.h"
#include "scripted_server.h"
#include "test_certs.h"
#include "tinyproxy.h"

using namespace brightoffice;
using brightoffice::testing::MockServer;
using brightoffice::testing::MockServerOptions;
using brightoffice::tests::TestPki;

namespace {

std::unique_ptr<MockServer> StartTls(const TestPki::Leaf& leaf) {
  MockServerOptions o;
  o.tls_cert_file = leaf.cert;
  o.tls_key_file = leaf.key;
  auto server = MockServer::Start(o);
  INFO(server.status().ToString());
  REQUIRE(server.ok());
  return std::move(*server);
}

std::string Localhost(const MockServer& server) {
  return "https://localhost:" + std::to_string(server.port()) + "/Webservices/BrightOfficeAPI.asmx";
}

StatusOr<ServiceResult> Call(Options o, std::string email = "jane@example.com") {
  o.deadline = std::chrono::seconds(10);
  auto client = Client::Create(o, {"api-user", Secret("api-secret")});
  REQUIRE(client.ok());
  CustomerInfo c;
  c.email = std::move(email);
  c.mfa_code = Secret("123456");
  return client->ConfirmCustomerUserMfa(c);
}

Options To(const std::string& endpoint, const std::string& ca_file = TestPki::Get().ca_file) {
  Options o;
  o.endpoint = endpoint;
  o.ca_file = ca_file;
  return o;
}

void CheckTlsFailure(const StatusOr<ServiceResult>& r, const std::string& why) {
  REQUIRE_FALSE(r.ok());
  INFO(r.status().ToString());
  CHECK(r.status().kind() == ErrorKind::kTls);
  CHECK(r.status().message().find(why) != std::string::npos);
  CHECK(r.status().message().find("api-secret") == std::string::npos);
  CHECK(r.status().message().find("123456") == std::string::npos);
}

}  // namespace

TEST_CASE("the mock serves HTTPS; a client trusting the test CA confirms over https://localhost") {
  const TestPki& pki = TestPki::Get();
  auto server = StartTls(pki.localhost);
  CHECK(server->endpoint().rfind("https://127.0.0.1:", 0) == 0);
  auto r = Call(To(Localhost(*server)));
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  CHECK(r->succeeded());
  CHECK(r->message.value_or("").find("jane@example.com") != std::string::npos);
  // The certificate names IP 127.0.0.1 too.
  auto by_ip = Call(To(server->endpoint()));
  INFO(by_ip.status().ToString());
  CHECK(by_ip.ok());
}

TEST_CASE("the test CA from an OpenSSL hashed folder (ca_dir) is trusted too") {
  const TestPki& pki = TestPki::Get();
  auto server = StartTls(pki.localhost);
  Options o = To(Localhost(*server), "");
  o.ca_dir = pki.ca_dir;
  auto r = Call(o);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  CHECK(r->succeeded());
}

TEST_CASE("without the test CA the same server is not trusted") {
  auto server = StartTls(TestPki::Get().localhost);
  CheckTlsFailure(Call(To(Localhost(*server), "")), "unable to get local issuer certificate");
}

TEST_CASE("a certificate from a CA the client does not trust: tls, with OpenSSL's reason") {
  auto server = StartTls(TestPki::Get().untrusted);
  CheckTlsFailure(Call(To(Localhost(*server))), "unable to get local issuer certificate");
  // Trusting that other CA instead makes it work: the failure above is about trust alone.
  auto r = Call(To(Localhost(*server), TestPki::Get().other_ca_file));
  INFO(r.status().ToString());
  CHECK(r.ok());
}

TEST_CASE("a certificate for another host name: tls, naming the host") {
  auto server = StartTls(TestPki::Get().wrong_host);
  const auto r = Call(To(Localhost(*server)));
  CheckTlsFailure(r, "does not name the host 'localhost'");
  CHECK(r.status().message().find("host name mismatch") != std::string::npos);
}

TEST_CASE("an expired certificate: tls, certificate has expired") {
  auto server = StartTls(TestPki::Get().expired);
  CheckTlsFailure(Call(To(Localhost(*server))), "certificate has expired");
}

TEST_CASE("a self-signed certificate: tls, self-signed") {
  auto server = StartTls(TestPki::Get().self_signed);
  CheckTlsFailure(Call(To(Localhost(*server))), "self-signed certificate");
}

TEST_CASE("insecure switches: skipping peer verification accepts a self-signed certificate") {
  const TestPki& pki = TestPki::Get();
  auto self_signed = StartTls(pki.self_signed);
  Options o = To(Localhost(*self_signed), "");
  o.insecure_skip_peer_verification = true;
  auto r = Call(o);
  INFO(r.status().ToString());
  CHECK(r.ok());

  // Without peer verification the host name is not checked either (gSOAP checks the name of a
  // verified certificate only).
  auto wrong_host = StartTls(pki.wrong_host);
  Options no_peer = To(Localhost(*wrong_host), "");
  no_peer.insecure_skip_peer_verification = true;
  auto any_host = Call(no_peer);
  INFO(any_host.status().ToString());
  CHECK(any_host.ok());

  // Skipping only the host check still verifies the chain...
  Options host_only = To(Localhost(*wrong_host));
  host_only.insecure_skip_host_verification = true;
  auto accepted = Call(host_only);
  INFO(accepted.status().ToString());
  CHECK(accepted.ok());
  host_only.ca_file.clear();
  CheckTlsFailure(Call(host_only), "unable to get local issuer certificate");
}

TEST_CASE("brightoffice-mock refuses incomplete or unusable TLS settings") {
  const TestPki& pki = TestPki::Get();
  MockServerOptions cert_only;
  cert_only.tls_cert_file = pki.localhost.cert;
  auto a = MockServer::Start(cert_only);
  REQUIRE_FALSE(a.ok());
  CHECK(a.status().kind() == ErrorKind::kInvalidArgument);

  MockServerOptions missing;
  missing.tls_cert_file = pki.dir + "/no-such.pem";
  missing.tls_key_file = pki.localhost.key;
  auto b = MockServer::Start(missing);
  REQUIRE_FALSE(b.ok());
  CHECK(b.status().kind() == ErrorKind::kInvalidArgument);

  MockServerOptions mismatched;
  mismatched.tls_cert_file = pki.localhost.cert;
  mismatched.tls_key_file = pki.expired.key;
  auto c = MockServer::Start(mismatched);
  REQUIRE_FALSE(c.ok());
  CHECK(c.status().kind() == ErrorKind::kTls);
}

namespace {

// Accepts one TLS connection with the `localhost` certificate (and whatever `configure` sets),
// records the server name the client sent (SNI), then closes. Returns the client's result.
StatusOr<ServiceResult> OneTlsConnection(const std::string& host, std::string& sni,
                                         const std::function<void(SSL_CTX*)>& configure = nullptr,
                                         const std::function<void(Options&)>& adjust = nullptr,
                                         std::string email = "jane@example.com") {
  const TestPki& pki = TestPki::Get();
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  REQUIRE(SSL_CTX_use_certificate_file(ctx, pki.localhost.cert.c_str(), SSL_FILETYPE_PEM) == 1);
  REQUIRE(SSL_CTX_use_PrivateKey_file(ctx, pki.localhost.key.c_str(), SSL_FILETYPE_PEM) == 1);
  if (configure) configure(ctx);
  int port = 0;
  const int listener = tests::ListenLoopback(4, port);
  REQUIRE(listener >= 0);
  sni = "<no handshake>";
  std::thread server([&] {
    const int fd = ::accept(listener, nullptr, nullptr);
    if (fd < 0) return;
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) == 1) {
      const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
      sni = name ? name : "<none>";
      SSL_shutdown(ssl);
    }
    SSL_free(ssl);
    ::close(fd);
  });
  Options o = To("https://" + host + ":" + std::to_string(port) + "/Webservices/BrightOfficeAPI.asmx");
  if (adjust) adjust(o);
  auto r = Call(o, std::move(email));
  server.join();
  ::close(listener);
  SSL_CTX_free(ctx);
  return r;
}

std::string SniSentFor(const std::string& host) {
  std::string sni;
  CHECK_FALSE(OneTlsConnection(host, sni).ok());  // the server hangs up after the handshake
  return sni;
}

}  // namespace

// The server below hangs up right after the handshake, so the client writes its request into a
// closed TLS connection: without the library's SIGPIPE guard this test process dies of SIGPIPE.
TEST_CASE("the client sends the endpoint's host name as SNI, and no SNI for an IP address") {
  CHECK(SniSentFor("localhost") == "localhost");
  CHECK(SniSentFor("127.0.0.1") == "<none>");  // RFC 6066: no IP literals in server_name
}

// A request of many TLS records into a connection the server has closed: the first write after
// the close is answered with a reset, the next ones fail with EPIPE. OpenSSL's own socket BIO
// would raise SIGPIPE there and end this process; the library's writes must not.
TEST_CASE("a large request into a TLS connection the server closed: an error, never SIGPIPE") {
  for (int round = 0; round < 3; ++round) {
    std::string sni;
    auto r = OneTlsConnection("localhost", sni, nullptr, nullptr, std::string(1 << 20, 'a') + "@example.com");
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().kind() == ErrorKind::kConnection);
    CHECK(sni == "localhost");
  }
}

TEST_CASE("through a proxy (CONNECT), the SNI is still the endpoint's host name") {
  tests::TinyProxy proxy;
  std::string sni;
  auto r = OneTlsConnection("localhost", sni, nullptr, [&proxy](Options& o) {
    o.proxy_host = "127.0.0.1";
    o.proxy_port = proxy.port();
  });
  CHECK_FALSE(r.ok());  // the server hangs up after the handshake
  CHECK(sni == "localhost");
  CHECK(proxy.Log().find("CONNECT localhost:") != std::string::npos);
}

TEST_CASE("a server that offers only TLS 1.1: refused, with the server's alert") {
  std::string sni;
  auto r = OneTlsConnection("localhost", sni, [](SSL_CTX* ctx) {
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_cipher_list(ctx, "DEFAULT:@SECLEVEL=0");
    SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
    SSL_CTX_set_max_proto_version(ctx, TLS1_1_VERSION);
  });
  CHECK(sni == "<no handshake>");
  CheckTlsFailure(r, "protocol version");
}

TEST_CASE("https:// to a server that speaks plain HTTP: tls, wrong version number") {
  auto server = MockServer::Start();
  REQUIRE(server.ok());
  Options o = To("https://127.0.0.1:" + std::to_string((*server)->port()) + "/Webservices/BrightOfficeAPI.asmx");
  CheckTlsFailure(Call(o), "wrong version number");
}

// TLS sessions: the client keeps the latest session the server gave for each host:port and
// the next new connection there resumes it (a TLS 1.2 session at the handshake's end, a TLS
// 1.3 ticket after it). The server here closes after every answer, so each call is a new
// connection.
namespace {

struct Handshakes {
  int completed = 0;
  int resumed = 0;
};

Handshakes HandshakesOver(int tls_max_version, int calls) {
  tests::ScriptedServerOptions so = tests::TlsOptions();
  so.tls_max_version = tls_max_version;
  tests::ScriptedServer server(so, [](const tests::ScriptedRequest&) {
    tests::ScriptedAnswer a;
    // "Connection: close" says so before the close: no call may find the connection pooled
    // and send into it while the server is closing it (that call would fail, never retried).
    a.Add(tests::HttpAnswer(tests::SoapResult("confirmed"), 200, {"Connection: close"}));
    a.then = tests::ScriptedAnswer::Then::kClose;
    return a;
  });
  Options o = To(server.endpoint("localhost"));
  o.deadline = std::chrono::seconds(10);
  auto client = Client::Create(o, {"api-user", Secret("api-secret")});
  REQUIRE(client.ok());
  for (int i = 0; i < calls; ++i) {
    CustomerInfo c;
    c.email = "jane@example.com";
    c.mfa_code = Secret("123456");
    auto r = client->ConfirmCustomerUserMfa(c);
    INFO("call " << i << ": " << (r.ok() ? std::string("ok") : r.status().ToString()));
    REQUIRE(r.ok());
    CHECK(r->message == "confirmed");
  }
  return Handshakes{server.handshakes_completed(), server.handshakes_resumed()};
}

}  // namespace

TEST_CASE("a new connection to the same host:port resumes the TLS session: TLS 1.3") {
  const Handshakes h = HandshakesOver(0, 4);
  CHECK(h.completed == 4);
  CHECK(h.resumed == 3);
}

TEST_CASE("a new connection to the same host:port resumes the TLS session: TLS 1.2") {
  const Handshakes h = HandshakesOver(TLS1_2_VERSION, 4);
  CHECK(h.completed == 4);
  CHECK(h.resumed == 3);
}
