// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_TESTS_DROPPING_LISTENER_H
#define BRIGHTOFFICE_TESTS_DROPPING_LISTENER_H

#include <chrono>
#include <string>
#include <vector>

namespace brightoffice::tests {

/// A listener on address:port that never accepts, its accept queue filled by connections of its
/// own: a further connect() gets no answer at all (the SYN is dropped), as from a host that
/// drops connection attempts.
class DroppingListener {
 public:
  DroppingListener() = default;
  DroppingListener(const DroppingListener&) = delete;
  DroppingListener& operator=(const DroppingListener&) = delete;
  ~DroppingListener();

  /// Binds address:port (0: any free port) and fills the queue. False when it cannot be bound
  /// (e.g. the port is taken at that address).
  bool Open(const std::string& address = "127.0.0.1", int port = 0);
  int port() const { return port_; }

  /// The premise of a test using it: a plain connect() to it is still pending after `wait`.
  bool ConnectHangs(std::chrono::milliseconds wait) const;

 private:
  int listen_fd_ = -1;
  int port_ = 0;
  std::string address_;
  std::vector<int> fillers_;
};

}  // namespace brightoffice::tests

#endif  // BRIGHTOFFICE_TESTS_DROPPING_LISTENER_H
