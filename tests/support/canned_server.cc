// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#include "canned_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

namespace brightoffice::tests {

std::string HttpResponse(int status, const std::string& content_type, const std::string& body,
                         const std::string& extra_headers) {
  std::string reason = status == 200 ? "OK" : "Status";
  return "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\nContent-Type: " + content_type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra_headers + "\r\n" + body;
}

CannedServer::CannedServer(CannedReply reply)
    : CannedServer([reply](const std::string&) { return reply; }) {}

CannedServer::CannedServer(std::function<CannedReply(const std::string&)> reply)
    : reply_(std::move(reply)) {
  listen_fd_ = ListenLoopback(16, port_);
  if (listen_fd_ < 0) throw std::runtime_error("CannedServer: cannot listen");
  acceptor_ = std::thread([this] { Run(); });
}

CannedServer::~CannedServer() {
  stop_ = true;
  acceptor_.join();
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
  }
  for (auto& t : threads_) t.join();
  ::close(listen_fd_);
}

std::string CannedServer::endpoint() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/Webservices/BrightOfficeAPI.asmx";
}

std::vector<std::string> CannedServer::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

void CannedServer::Run() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    ++connections_;
    std::lock_guard<std::mutex> lock(mu_);
    open_fds_.push_back(fd);
    threads_.emplace_back([this, fd] { Serve(fd); });
  }
}

void CannedServer::Serve(int fd) {
  std::string buffer;
  char chunk[65536];
  while (!stop_) {
    // Read one request: headers, then Content-Length bytes of body.
    std::size_t header_end;
    while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
      ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) goto done;
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
    {
      std::size_t length = 0;
      std::string head = buffer.substr(0, header_end);
      for (std::size_t i = 0; i < head.size(); ++i) head[i] = static_cast<char>(std::tolower(head[i]));
      if (auto at = head.find("content-length:"); at != std::string::npos) {
        length = std::strtoul(head.c_str() + at + 15, nullptr, 10);
      }
      while (buffer.size() < header_end + 4 + length) {
        ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) goto done;
        buffer.append(chunk, static_cast<std::size_t>(n));
      }
      std::string request = buffer.substr(0, header_end + 4 + length);
      buffer.erase(0, header_end + 4 + length);
      {
        std::lock_guard<std::mutex> lock(mu_);
        requests_.push_back(request);
      }
      CannedReply reply = reply_(request);
      if (reply.behaviour == CannedReply::Behaviour::kClose) break;
      if (reply.behaviour == CannedReply::Behaviour::kSilent) {
        while (!stop_ && ::recv(fd, chunk, sizeof chunk, 0) > 0) {
        }
        break;
      }
      std::size_t sent = 0;
      while (sent < reply.bytes.size()) {
        ssize_t n = ::send(fd, reply.bytes.data() + sent, reply.bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) goto done;
        sent += static_cast<std::size_t>(n);
      }
      if (reply.close_after) break;
    }
  }
done:
  ::shutdown(fd, SHUT_RDWR);
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& open : open_fds_) {
    if (open == fd) open = -1;
  }
  ::close(fd);
}

std::string HttpGet(int port, const std::string& path) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  std::string out;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    const std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    char buf[4096];
    for (;;) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 5000) <= 0) break;
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, static_cast<std::size_t>(n));
    }
  }
  ::close(fd);
  return out;
}

int ListenLoopback(int backlog, int& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, backlog) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) ::close(fd);
    return -1;
  }
  port = ntohs(addr.sin_port);
  return fd;
}

int UnusedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace brightoffice::tests
