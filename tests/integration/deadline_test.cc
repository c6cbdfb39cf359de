// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// The call's deadline bounds every stage: a server that trickles its answer one byte a second
// (so no single receive ever stalls), a listener whose backlog is full (connect never
// completes), a TLS handshake the server never answers, and a TLS answer trickling. Each call ends with kTimeout
// within its deadline + 0.5 s (times BRIGHTOFFICE_TIME_SCALE under valgrind and the sanitizers:
// tests/support/timed_call.h).

#include <doctest/doctest.h>

#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "brightoffice/client.h"
#include "canned_server.h"
#include "dropping_listener.h"
#include "test_certs.h"
#include "timed_call.h"

using namespace brightoffice;
using brightoffice::tests::CheckTimedOut;
using std::chrono::milliseconds;
using Timed = brightoffice::tests::TimedCall;

namespace {

constexpr milliseconds kDeadline{1500};

int Listen(int backlog, int& port) {
  const int fd = tests::ListenLoopback(backlog, port);
  REQUIRE(fd >= 0);
  return fd;
}

std::string Endpoint(const char* scheme, int port) {
  return std::string(scheme) + "://127.0.0.1:" + std::to_string(port) + "/Webservices/BrightOfficeAPI.asmx";
}

// Accepts one connection, reads the request, then sends a valid-looking HTTP response one byte
// per second, never finishing it.
class TrickleServer {
 public:
  explicit TrickleServer(bool tls = false) {
    if (tls) {
      const auto& pki = tests::TestPki::Get();
      ctx_ = SSL_CTX_new(TLS_server_method());
      REQUIRE(SSL_CTX_use_certificate_file(ctx_, pki.localhost.cert.c_str(), SSL_FILETYPE_PEM) == 1);
      REQUIRE(SSL_CTX_use_PrivateKey_file(ctx_, pki.localhost.key.c_str(), SSL_FILETYPE_PEM) == 1);
    }
    listen_fd_ = Listen(4, port_);
    thread_ = std::thread([this] { Run(); });
  }
  ~TrickleServer() {
    stop_ = true;
    thread_.join();
    ::close(listen_fd_);
    if (ctx_) SSL_CTX_free(ctx_);
  }
  int port() const { return port_; }
  int bytes_sent() const { return sent_; }

 private:
  void Run() {
    pollfd p{listen_fd_, POLLIN, 0};
    while (!stop_ && ::poll(&p, 1, 50) <= 0) {
    }
    if (stop_) return;
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    SSL* ssl = nullptr;
    if (ctx_) {
      ssl = SSL_new(ctx_);
      SSL_set_fd(ssl, fd);
      if (SSL_accept(ssl) != 1) {
        SSL_free(ssl);
        ::close(fd);
        return;
      }
    }
    char buf[4096];
    pollfd r{fd, POLLIN, 0};
    if (::poll(&r, 1, 2000) > 0) {  // the request (at least its start)
      if (ssl) SSL_read(ssl, buf, sizeof buf); else ::recv(fd, buf, sizeof buf, 0);
    }
    const std::string answer =
        "HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: 100000\r\n\r\n<?xml version=\"1.0\"?>";
    for (std::size_t i = 0; !stop_; ++i) {
      const char* byte = answer.data() + (i % answer.size());
      if ((ssl ? SSL_write(ssl, byte, 1) : ::send(fd, byte, 1, MSG_NOSIGNAL)) != 1) break;
      ++sent_;
      for (int k = 0; k < 20 && !stop_; ++k) std::this_thread::sleep_for(milliseconds(50));
    }
    if (ssl) SSL_free(ssl);
    ::close(fd);
  }

  SSL_CTX* ctx_ = nullptr;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> sent_{0};
  std::thread thread_;
};

Timed Call(const Options& o, std::string email = "jane@example.com") { return tests::CallTimed(o, std::move(email)); }

Options WithDeadline(const std::string& endpoint) {
  Options o;
  o.endpoint = endpoint;
  o.deadline = kDeadline;  // connect_timeout (10 s) and io_timeout (30 s) are far longer
  return o;
}

}  // namespace

TEST_CASE("a response trickling one byte per second: timeout at the deadline, not the I/O timeout") {
  TrickleServer server;
  const Timed t = Call(WithDeadline(Endpoint("http", server.port())));
  CheckTimedOut(t, kDeadline, "deadline");
  CHECK(server.bytes_sent() >= 1);  // the answer was arriving: no single receive stalled
}

TEST_CASE("a connection that never completes (full backlog): timeout at the deadline") {
  tests::DroppingListener listener;
  REQUIRE(listener.Open());
  REQUIRE(listener.ConnectHangs(milliseconds(200)));  // the premise of this test
  const Timed t = Call(WithDeadline(Endpoint("http", listener.port())));
  CheckTimedOut(t, kDeadline, "deadline");
}

TEST_CASE("a connection that never completes: the connect timeout, when shorter, ends it") {
  tests::DroppingListener listener;
  REQUIRE(listener.Open());
  REQUIRE(listener.ConnectHangs(milliseconds(200)));
  Options o = WithDeadline(Endpoint("http", listener.port()));
  o.deadline = std::chrono::seconds(10);
  o.connect_timeout = milliseconds(800);
  const Timed t = Call(o);
  CheckTimedOut(t, o.connect_timeout, "connect timeout");
}

TEST_CASE("HTTPS to a server that accepts and never answers the handshake: timeout at the deadline") {
  tests::CannedReply silent;
  silent.behaviour = tests::CannedReply::Behaviour::kSilent;
  tests::CannedServer server(silent);  // reads the ClientHello as a "request" head that never ends
  const Timed t = Call(WithDeadline(Endpoint("https", server.port())));
  CheckTimedOut(t, kDeadline, "deadline");
}

TEST_CASE("HTTPS: a response trickling one byte per second after the handshake: timeout at the deadline") {
  TrickleServer server(/*tls=*/true);
  Options o = WithDeadline("https://localhost:" + std::to_string(server.port()) + "/Webservices/BrightOfficeAPI.asmx");
  o.ca_file = tests::TestPki::Get().ca_file;
  const Timed t = Call(o);
  CheckTimedOut(t, kDeadline, "deadline");
  CHECK(server.bytes_sent() >= 1);  // the handshake succeeded and the answer was arriving
}

// The server reads the first 4 KiB of the request and no more: a 16 MiB request fills the socket
// buffers and every further write has to wait (over TLS: SSL_write wants to write, and gSOAP
// retries it with the same arguments once the socket is writable, which never happens here).
TEST_CASE("a server that stops reading a large request: timeout at the deadline, HTTP and HTTPS") {
  const std::string big = std::string(16 << 20, 'a') + "@example.com";
  {
    TrickleServer server;
    CheckTimedOut(Call(WithDeadline(Endpoint("http", server.port())), big), kDeadline, "deadline");
  }
  {
    TrickleServer server(/*tls=*/true);
    Options o = WithDeadline("https://localhost:" + std::to_string(server.port()) + "/Webservices/BrightOfficeAPI.asmx");
    o.ca_file = tests::TestPki::Get().ca_file;
    CheckTimedOut(Call(o, big), kDeadline, "deadline");
  }
}

TEST_CASE("HTTPS through a proxy that never answers the CONNECT: timeout at the deadline") {
  tests::CannedReply silent;
  silent.behaviour = tests::CannedReply::Behaviour::kSilent;
  tests::CannedServer proxy(silent);  // takes the CONNECT request and says nothing
  Options o = WithDeadline("https://localhost:9/Webservices/BrightOfficeAPI.asmx");
  o.proxy_host = "127.0.0.1";
  o.proxy_port = proxy.port();
  const Timed t = Call(o);
  CheckTimedOut(t, kDeadline, "deadline");
  REQUIRE(proxy.requests().size() == 1);
  CHECK(proxy.requests()[0].rfind("CONNECT localhost:9 ", 0) == 0);
}
