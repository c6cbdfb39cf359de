// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#include "scripted_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <stdexcept>

namespace brightoffice::tests {
namespace {

using std::chrono::milliseconds;

void RaiseMax(std::atomic<int>& max, int value) {
  int seen = max.load();
  while (value > seen && !max.compare_exchange_weak(seen, value)) {
  }
}

std::string ResultBody(const std::string& message, const std::string& code) {
  return "<ConfirmCustomerUserMFAResponse xmlns=\"http://tempuri.org/\"><ConfirmCustomerUserMFAResult><SuccessCode>" +
         code + "</SuccessCode><Message>" + XmlEscape(message) +
         "</Message><ExceptionMessage /><IsSystemError>false</IsSystemError></ConfirmCustomerUserMFAResult>"
         "</ConfirmCustomerUserMFAResponse>";
}

}  // namespace

std::string XmlEscape(const std::string& text) {
  std::string out;
  for (char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out += ch;
    }
  }
  return out;
}

std::string SoapEnvelope(const char* ns, const std::string& body) {
  return std::string("<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"") + ns +
         "\"><soap:Body>" + body + "</soap:Body></soap:Envelope>";
}

std::string ScriptedRequest::RequestLine() const { return head.substr(0, head.find("\r\n")); }

std::string ScriptedRequest::Element(const std::string& local_name) const {
  std::size_t pos = 0;
  while ((pos = body.find('<', pos)) != std::string::npos) {
    std::size_t name_end = body.find_first_of(" />", pos + 1);
    if (name_end == std::string::npos) return "";
    std::string name = body.substr(pos + 1, name_end - pos - 1);
    if (const auto colon = name.find(':'); colon != std::string::npos) name.erase(0, colon + 1);
    const std::size_t tag_end = body.find('>', pos);
    if (name == local_name && tag_end != std::string::npos && body[tag_end - 1] != '/') {
      const std::size_t close = body.find("</", tag_end);
      return close == std::string::npos ? "" : body.substr(tag_end + 1, close - tag_end - 1);
    }
    pos = pos + 1;
  }
  return "";
}

// One accepted connection, plain or TLS. Over TLS, OpenSSL reads from and writes to memory
// BIOs and this class moves the bytes between them and the socket, so that it can pace them.
class ScriptedServer::Channel {
 public:
  Channel(const ScriptedServer& server, int fd) : server_(server), fd_(fd) {
    if (server.ctx_ != nullptr) {
      ssl_ = SSL_new(static_cast<SSL_CTX*>(server.ctx_));
      rbio_ = BIO_new(BIO_s_mem());
      wbio_ = BIO_new(BIO_s_mem());
      SSL_set_bio(ssl_, rbio_, wbio_);  // owned by ssl_ from here on
      SSL_set_accept_state(ssl_);
    }
  }
  ~Channel() {
    if (ssl_ != nullptr) SSL_free(ssl_);
  }

  bool tls() const { return ssl_ != nullptr; }
  bool resumed() const { return ssl_ != nullptr && SSL_session_reused(ssl_) == 1; }

  bool Handshake(milliseconds per_byte) {
    for (;;) {
      ERR_clear_error();
      const int r = SSL_do_handshake(ssl_);
      if (!Flush(per_byte)) return false;
      if (r == 1) return true;
      if (SSL_get_error(ssl_, r) != SSL_ERROR_WANT_READ || !Fill()) return false;
    }
  }

  // Appends what arrives (at least one byte) to `out`; false at the end of the connection.
  bool Read(std::string& out) {
    char buf[16384];
    if (ssl_ == nullptr) {
      if (!WaitReadable()) return false;
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return false;
      out.append(buf, static_cast<std::size_t>(n));
      return true;
    }
    for (;;) {
      ERR_clear_error();
      const int n = SSL_read(ssl_, buf, sizeof buf);
      if (!Flush(milliseconds(0))) return false;  // e.g. TLS 1.3 session tickets
      if (n > 0) {
        out.append(buf, static_cast<std::size_t>(n));
        return true;
      }
      if (SSL_get_error(ssl_, n) != SSL_ERROR_WANT_READ || !Fill()) return false;
    }
  }

  bool Write(const Piece& piece) {
    if (ssl_ == nullptr) {
      const std::size_t step = piece.per_byte.count() > 0 ? 1 : piece.bytes.size();
      for (std::size_t at = 0; at < piece.bytes.size(); at += step) {
        if (!SendAll(piece.bytes.data() + at, std::min(step, piece.bytes.size() - at))) return false;
        if (piece.per_byte.count() > 0 && !server_.Sleep(piece.per_byte)) return false;
      }
      return true;
    }
    if (!piece.bytes.empty() && SSL_write(ssl_, piece.bytes.data(), static_cast<int>(piece.bytes.size())) <= 0) {
      return false;
    }
    return Flush(piece.per_byte);
  }

 private:
  bool WaitReadable() {
    while (!server_.stop_) {
      pollfd p{fd_, POLLIN, 0};
      const int r = ::poll(&p, 1, 50);
      if (r > 0) return true;
      if (r < 0 && errno != EINTR) return false;
    }
    return false;
  }

  bool SendAll(const char* data, std::size_t n) {
    while (n > 0) {
      const ssize_t w = ::send(fd_, data, n, MSG_NOSIGNAL);
      if (w <= 0) return false;
      data += w;
      n -= static_cast<std::size_t>(w);
    }
    return true;
  }

  // Moves what OpenSSL wrote to the socket, a byte at a time with `per_byte` pauses if set.
  bool Flush(milliseconds per_byte) {
    char buf[16384];
    while (BIO_ctrl_pending(wbio_) > 0) {
      const int n = BIO_read(wbio_, buf, per_byte.count() > 0 ? 1 : static_cast<int>(sizeof buf));
      if (n <= 0) return false;
      if (!SendAll(buf, static_cast<std::size_t>(n))) return false;
      if (per_byte.count() > 0 && !server_.Sleep(per_byte)) return false;
    }
    return true;
  }

  // Moves what arrived on the socket to OpenSSL.
  bool Fill() {
    char buf[16384];
    if (!WaitReadable()) return false;
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return false;
    return BIO_write(rbio_, buf, static_cast<int>(n)) == n;
  }

  const ScriptedServer& server_;
  int fd_;
  SSL* ssl_ = nullptr;
  BIO* rbio_ = nullptr;
  BIO* wbio_ = nullptr;
};

ScriptedServer::ScriptedServer(ScriptedServerOptions options, Script script)
    : options_(std::move(options)), script_(std::move(script)) {
  if (!options_.tls_cert_file.empty()) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    if (ctx == nullptr || SSL_CTX_use_certificate_file(ctx, options_.tls_cert_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, options_.tls_key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
      if (ctx != nullptr) SSL_CTX_free(ctx);
      throw std::runtime_error("ScriptedServer: cannot load the TLS certificate or key");
    }
    if (options_.tls_max_version != 0) SSL_CTX_set_max_proto_version(ctx, options_.tls_max_version);
    ctx_ = ctx;
  }
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(options_.port));
  socklen_t len = sizeof addr;
  if (fd < 0 || ::inet_pton(AF_INET, options_.address.c_str(), &addr.sin_addr) != 1 ||
      ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, options_.backlog) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) ::close(fd);
    if (ctx_ != nullptr) SSL_CTX_free(static_cast<SSL_CTX*>(ctx_));
    throw std::runtime_error("ScriptedServer: cannot listen on " + options_.address);
  }
  listen_fd_ = fd;
  port_ = ntohs(addr.sin_port);
  if (::pipe2(wake_, O_CLOEXEC) != 0) {
    ::close(fd);
    if (ctx_ != nullptr) SSL_CTX_free(static_cast<SSL_CTX*>(ctx_));
    throw std::runtime_error("ScriptedServer: pipe");
  }
  acceptor_ = std::thread([this] { Accept(); });
}

ScriptedServer::~ScriptedServer() {
  stop_ = true;
  const char wake = 1;
  (void)!::write(wake_[1], &wake, 1);  // the acceptor returns from poll() at once
  acceptor_.join();
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (int fd : open_fds_) {
      if (fd >= 0) ::shutdown(fd, SHUT_RDWR);
    }
  }
  for (auto& t : threads_) t.join();
  ::close(listen_fd_);
  ::close(wake_[0]);
  ::close(wake_[1]);
  if (ctx_ != nullptr) SSL_CTX_free(static_cast<SSL_CTX*>(ctx_));
}

std::string ScriptedServer::endpoint(const std::string& host) const {
  return std::string(ctx_ != nullptr ? "https" : "http") + "://" + host + ":" + std::to_string(port_) +
         "/Webservices/BrightOfficeAPI.asmx";
}

std::vector<ScriptedRequest> ScriptedServer::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

bool ScriptedServer::Sleep(milliseconds d) const {
  const auto end = std::chrono::steady_clock::now() + d;
  while (!stop_) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= end) return true;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(end - now, milliseconds(20)));
  }
  return false;
}

void ScriptedServer::Accept() {
  while (!stop_) {
    pollfd p[2] = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (::poll(p, 2, 200) <= 0 || (p[0].revents & POLLIN) == 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const int number = ++connections_;
    RaiseMax(max_open_, ++open_);
    std::lock_guard<std::mutex> lock(mu_);
    open_fds_.push_back(fd);
    threads_.emplace_back([this, fd, number] { Serve(fd, number); });
  }
}

void ScriptedServer::Serve(int fd, int number) {
  {
    Channel channel(*this, fd);
    bool alive = !channel.tls() || channel.Handshake(options_.handshake_per_byte);
    if (channel.tls() && alive) ++handshakes_;
    if (alive && channel.resumed()) ++resumed_;
    std::string buffer;
    int on_connection = 0;
    while (alive && !stop_) {
      // One request: headers, then Content-Length bytes of body.
      std::size_t header_end;
      while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
        if (!channel.Read(buffer)) {
          alive = false;
          break;
        }
      }
      if (!alive) break;
      ScriptedRequest request;
      request.head = buffer.substr(0, header_end + 4);
      std::string lower = request.head;
      for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      std::size_t length = 0;
      if (const auto at = lower.find("\r\ncontent-length:"); at != std::string::npos) {
        length = std::strtoul(lower.c_str() + at + 17, nullptr, 10);
      }
      while (alive && buffer.size() < header_end + 4 + length) alive = channel.Read(buffer);
      if (!alive) break;
      request.body = buffer.substr(header_end + 4, length);
      buffer.erase(0, header_end + 4 + length);
      request.connection = number;
      request.on_connection = ++on_connection;
      RaiseMax(max_in_flight_, ++in_flight_);
      {
        std::lock_guard<std::mutex> lock(mu_);
        request.index = static_cast<int>(requests_.size()) + 1;
        requests_.push_back(request);
      }
      const ScriptedAnswer answer = script_(request);
      for (const Piece& piece : answer.pieces) {
        if (!Sleep(piece.delay) || !channel.Write(piece)) {
          alive = false;
          break;
        }
      }
      --in_flight_;
      if (!alive || answer.then == ScriptedAnswer::Then::kClose) break;
      if (answer.then == ScriptedAnswer::Then::kHold) {
        // Silent until the client goes away (or the server stops).
        char sink[4096];
        while (!stop_) {
          pollfd p{fd, POLLIN, 0};
          const int r = ::poll(&p, 1, 50);
          if (r > 0 && ::recv(fd, sink, sizeof sink, 0) <= 0) break;
          if (r < 0) break;
        }
        break;
      }
    }
  }
  ::shutdown(fd, SHUT_RDWR);
  --open_;
  std::lock_guard<std::mutex> lock(mu_);
  for (int& open : open_fds_) {
    if (open == fd) open = -1;
  }
  ::close(fd);
}

std::string SoapResult(const std::string& message, const std::string& code) {
  return SoapEnvelope(kSoap11Envelope, ResultBody(message, code));
}

std::string SoapResult12(const std::string& message, const std::string& code) {
  return SoapEnvelope(kSoap12Envelope, ResultBody(message, code));
}

std::string SoapFault(const std::string& fault_string) {
  return SoapEnvelope(kSoap11Envelope,
                  "<soap:Fault><faultcode>soap:Server</faultcode><faultstring>" + XmlEscape(fault_string) +
                      "</faultstring><detail /></soap:Fault>");
}

std::string HttpHead(int status, const std::string& reason, const std::vector<std::string>& headers) {
  std::string head = "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\n";
  for (const auto& h : headers) head += h + "\r\n";
  return head + "\r\n";
}

std::string HttpAnswer(const std::string& body, int status, const std::vector<std::string>& extra_headers) {
  std::vector<std::string> headers = {"Content-Type: text/xml; charset=utf-8",
                                      "Content-Length: " + std::to_string(body.size())};
  headers.insert(headers.end(), extra_headers.begin(), extra_headers.end());
  return HttpHead(status, status == 200 ? "OK" : status == 500 ? "Internal Server Error" : "Status", headers) + body;
}

std::string TaggedHttpAnswer(const ScriptedRequest& request, const std::vector<std::string>& extra_headers) {
  return HttpAnswer(SoapResult(request.Element("Email")), 200, extra_headers);
}

ScriptedAnswer TaggedAnswer(const ScriptedRequest& request, std::chrono::milliseconds delay, ScriptedAnswer::Then then,
                            const std::vector<std::string>& extra_headers) {
  ScriptedAnswer a;
  a.Add(TaggedHttpAnswer(request, extra_headers), delay);
  a.then = then;
  return a;
}

ScriptedServer::Script TaggedScript(std::chrono::milliseconds delay) {
  return [delay](const ScriptedRequest& request) { return TaggedAnswer(request, delay); };
}

}  // namespace brightoffice::tests
