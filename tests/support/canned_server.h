// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_TESTS_CANNED_SERVER_H
#define BRIGHTOFFICE_TESTS_CANNED_SERVER_H

// A plain HTTP server on 127.0.0.1 for tests: it reads each request (headers and a
// Content-Length body) and writes back exactly the bytes a test scripted, or misbehaves on
// purpose (stays silent, closes at once). Written with sockets only, so it shares nothing with
// the code under test.

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace brightoffice::tests {

struct CannedReply {
  enum class Behaviour { kReply, kSilent, kClose };
  Behaviour behaviour = Behaviour::kReply;
  std::string bytes;          ///< Raw HTTP response for kReply.
  bool close_after = false;   ///< Close the connection after the reply.
};

/// An HTTP response with Content-Length and the given status line, headers and body.
std::string HttpResponse(int status, const std::string& content_type, const std::string& body,
                         const std::string& extra_headers = "");

class CannedServer {
 public:
  /// `reply` is asked for an answer to each request (by its raw bytes).
  explicit CannedServer(std::function<CannedReply(const std::string& request)> reply);
  /// Answers every request with the same reply.
  explicit CannedServer(CannedReply reply);
  ~CannedServer();

  int port() const { return port_; }
  std::string endpoint() const;
  std::vector<std::string> requests() const;
  int connections() const { return connections_; }

 private:
  void Run();
  void Serve(int fd);

  std::function<CannedReply(const std::string&)> reply_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  mutable std::mutex mu_;
  std::vector<std::string> requests_;
  std::vector<int> open_fds_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

/// A plain HTTP GET of 127.0.0.1:port/path; returns the whole raw response ("" on failure).
std::string HttpGet(int port, const std::string& path);

/// A port on 127.0.0.1 with nothing listening on it.
int UnusedPort();

/// A listening TCP socket on 127.0.0.1 (a free port, written to `port`); -1 on failure.
int ListenLoopback(int backlog, int& port);

}  // namespace brightoffice::tests

#endif  // BRIGHTOFFICE_TESTS_CANNED_SERVER_H
