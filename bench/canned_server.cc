// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// brightoffice-bench-canned: the smallest HTTP server the benchmarks use as a reference peer.
// It reads each request (headers and a Content-Length body) and writes one fixed SOAP 1.1
// ConfirmCustomerUserMFAResponse (SUCCESS) with Content-Length, keeping the connection open
// (HTTP/1.1 keep-alive) unless the request says "Connection: close". One thread, epoll, no
// XML parsing: whatever time a client spends against it is the client's own.
//
//   brightoffice-bench-canned [--port N] [--tls-cert FILE --tls-key FILE] [--close]
// prints "listening on http://127.0.0.1:PORT/Webservices/BrightOfficeAPI.asmx" (https with TLS)
// once ready. With TLS each connection is a non-blocking OpenSSL server session.
// --close: every reply says "Connection: close" and the server closes the connection after it,
// whatever the request asked (as ASMX does after a fault): every call needs a new connection.
// On SIGUSR1 it prints one line of counters to stderr:
//   "connections N requests N tls_handshakes N tls_resumed N"
// (tls_resumed: handshakes that resumed an earlier TLS session).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <strings.h>
#include <unordered_map>

#include "canned_reply.h"

namespace {

struct Conn {
  SSL* ssl = nullptr;
  std::string in;
  std::string out;
  size_t out_off = 0;
  bool close_after = false;
  bool closing = false;  // our side is shut down; waiting for the client's EOF
  bool handshake_counted = false;
};

volatile std::sig_atomic_t g_print_stats = 0;
extern "C" void OnUsr1(int) { g_print_stats = 1; }

// Length of the first complete request in `in` (0 when incomplete); sets `close`.
size_t CompleteRequest(const std::string& in, bool& close) {
  const size_t head_end = in.find("\r\n\r\n");
  if (head_end == std::string::npos) return 0;
  size_t length = 0;
  close = false;
  size_t pos = in.find("\r\n") + 2;
  while (pos < head_end) {
    size_t eol = in.find("\r\n", pos);
    const char* line = in.data() + pos;
    const size_t n = eol - pos;
    if (n > 15 && strncasecmp(line, "Content-Length:", 15) == 0) {
      length = std::strtoul(line + 15, nullptr, 10);
    } else if (n > 11 && strncasecmp(line, "Connection:", 11) == 0) {
      std::string v(line + 11, n - 11);
      if (v.find("close") != std::string::npos || v.find("Close") != std::string::npos) close = true;
    }
    pos = eol + 2;
  }
  if (in.compare(0, 8, "HTTP/1.0") == 0) close = true;
  const size_t total = head_end + 4 + length;
  return in.size() >= total ? total : 0;
}

}  // namespace

int main(int argc, char** argv) {
  int port = 0;
  std::string cert, key;
  bool close_always = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
      port = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--tls-cert") == 0 && i + 1 < argc) {
      cert = argv[++i];
    } else if (std::strcmp(argv[i], "--tls-key") == 0 && i + 1 < argc) {
      key = argv[++i];
    } else if (std::strcmp(argv[i], "--close") == 0) {
      close_always = true;
    } else {
      std::fprintf(stderr, "usage: %s [--port N] [--tls-cert FILE --tls-key FILE] [--close]\n", argv[0]);
      return 2;
    }
  }
  SSL_CTX* tls = nullptr;
  if (!cert.empty() || !key.empty()) {
    tls = SSL_CTX_new(TLS_server_method());
    SSL_CTX_set_min_proto_version(tls, TLS1_2_VERSION);
    SSL_CTX_set_mode(tls, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (SSL_CTX_use_certificate_chain_file(tls, cert.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(tls, key.c_str(), SSL_FILETYPE_PEM) != 1) {
      std::fprintf(stderr, "cannot load the TLS certificate or key\n");
      return 2;
    }
  }
  signal(SIGPIPE, SIG_IGN);
  struct sigaction usr1 {};
  usr1.sa_handler = &OnUsr1;  // no SA_RESTART: epoll_wait returns EINTR
  sigaction(SIGUSR1, &usr1, nullptr);
  unsigned long stat_connections = 0, stat_requests = 0, stat_handshakes = 0, stat_resumed = 0;
  const std::string reply = brightoffice::bench::CannedHttpReply();
  // To a "Connection: close" request the reply says so too, as ASMX/IIS do; clients then do not
  // return the connection to their pool.
  std::string reply_close = reply;
  reply_close.insert(reply_close.find("\r\n") + 2, "Connection: close\r\n");

  int lfd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  int one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::bind(lfd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(lfd, 512) != 0) {
    std::perror("bind/listen");
    return 4;
  }
  socklen_t len = sizeof addr;
  getsockname(lfd, reinterpret_cast<sockaddr*>(&addr), &len);
  std::printf("listening on %s://127.0.0.1:%d/Webservices/BrightOfficeAPI.asmx\n", tls ? "https" : "http",
              ntohs(addr.sin_port));
  std::fflush(stdout);

  int ep = epoll_create1(0);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = lfd;
  epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
  std::unordered_map<int, Conn> conns;
  epoll_event events[64];
  char buf[65536];

  auto close_conn = [&](int fd) {
    epoll_ctl(ep, EPOLL_CTL_DEL, fd, nullptr);
    auto it = conns.find(fd);
    if (it != conns.end() && it->second.ssl != nullptr) SSL_free(it->second.ssl);
    ::close(fd);
    conns.erase(fd);
  };
  // Writes what is pending; returns false when the connection is gone. After the last reply of
  // a "Connection: close" request it shuts down its side (close_notify first with TLS) and
  // waits for the client's EOF: closing at once with unread bytes would send a reset, which can
  // destroy the reply before the client has read it.
  auto flush = [&](int fd, Conn& c) {
    while (c.out_off < c.out.size()) {
      ssize_t w;
      bool would_block;
      if (c.ssl != nullptr) {
        const int r = SSL_write(c.ssl, c.out.data() + c.out_off, static_cast<int>(c.out.size() - c.out_off));
        w = r > 0 ? r : -1;
        const int e = r > 0 ? SSL_ERROR_NONE : SSL_get_error(c.ssl, r);
        would_block = e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ;
      } else {
        w = ::send(fd, c.out.data() + c.out_off, c.out.size() - c.out_off, MSG_NOSIGNAL);
        would_block = w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
      }
      if (w < 0) {
        if (would_block) {
          epoll_event e{};
          e.events = EPOLLIN | EPOLLOUT;
          e.data.fd = fd;
          epoll_ctl(ep, EPOLL_CTL_MOD, fd, &e);
          return true;
        }
        return false;
      }
      c.out_off += static_cast<size_t>(w);
    }
    c.out.clear();
    c.out_off = 0;
    if (c.close_after && !c.closing) {
      if (c.ssl != nullptr) SSL_shutdown(c.ssl);
      ::shutdown(fd, SHUT_WR);
      c.closing = true;
    }
    return true;
  };

  for (;;) {
    int n = epoll_wait(ep, events, 64, -1);
    if (g_print_stats) {
      g_print_stats = 0;
      std::fprintf(stderr, "connections %lu requests %lu tls_handshakes %lu tls_resumed %lu\n", stat_connections,
                   stat_requests, stat_handshakes, stat_resumed);
      std::fflush(stderr);
    }
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd == lfd) {
        for (;;) {
          int cfd = ::accept4(lfd, nullptr, nullptr, SOCK_NONBLOCK);
          if (cfd < 0) break;
          ++stat_connections;
          setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          epoll_event e{};
          e.events = EPOLLIN;
          e.data.fd = cfd;
          epoll_ctl(ep, EPOLL_CTL_ADD, cfd, &e);
          Conn& c = conns[cfd];
          if (tls != nullptr) {
            c.ssl = SSL_new(tls);
            SSL_set_fd(c.ssl, cfd);
            SSL_set_accept_state(c.ssl);
          }
        }
        continue;
      }
      auto it = conns.find(fd);
      if (it == conns.end()) continue;
      Conn& c = it->second;
      if (events[i].events & EPOLLOUT) {
        if (!flush(fd, c)) {
          close_conn(fd);
          continue;
        }
        if (c.out.empty()) {
          epoll_event e{};
          e.events = EPOLLIN;
          e.data.fd = fd;
          epoll_ctl(ep, EPOLL_CTL_MOD, fd, &e);
        }
      }
      // A TLS session may need to read while it writes and the other way round: try both.
      if (c.ssl == nullptr && !(events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) continue;
      bool gone = false;
      for (;;) {
        if (c.ssl != nullptr) {
          const int r = SSL_read(c.ssl, buf, sizeof buf);
          if (!c.handshake_counted && SSL_is_init_finished(c.ssl)) {
            c.handshake_counted = true;
            ++stat_handshakes;
            if (SSL_session_reused(c.ssl)) ++stat_resumed;
          }
          if (r > 0) {
            c.in.append(buf, static_cast<size_t>(r));
            continue;
          }
          const int e = SSL_get_error(c.ssl, r);
          if (e == SSL_ERROR_WANT_WRITE) {
            epoll_event e2{};
            e2.events = EPOLLIN | EPOLLOUT;
            e2.data.fd = fd;
            epoll_ctl(ep, EPOLL_CTL_MOD, fd, &e2);
          } else if (e != SSL_ERROR_WANT_READ) {
            gone = true;
            ERR_clear_error();
          }
          break;
        }
        ssize_t r = ::recv(fd, buf, sizeof buf, 0);
        if (r > 0) {
          c.in.append(buf, static_cast<size_t>(r));
          continue;
        }
        if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) gone = true;
        break;
      }
      bool close = false;
      if (c.closing) c.in.clear();
      while (size_t used = CompleteRequest(c.in, close)) {
        c.in.erase(0, used);
        ++stat_requests;
        close = close || close_always;
        c.out += close ? reply_close : reply;
        c.close_after = c.close_after || close;
        if (close) break;
      }
      if (!c.out.empty() && !flush(fd, c)) gone = true;
      if (gone) close_conn(fd);
    }
  }
  return 0;
}
