// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_TESTS_TINYPROXY_H
#define BRIGHTOFFICE_TESTS_TINYPROXY_H

// Debian's tinyproxy (package `tinyproxy`, in the Makefile's DEB_PACKAGES) run on 127.0.0.1 for
// a test, with a private configuration and log. Any port may be CONNECTed to.

#include <memory>
#include <string>

#include "process.h"

namespace brightoffice::tests {

class TinyProxy {
 public:
  /// Starts tinyproxy on a free loopback port; with `user` set it requires Basic
  /// authentication. Throws std::runtime_error when it is not installed or does not listen.
  explicit TinyProxy(const std::string& user = "", const std::string& password = "");
  ~TinyProxy();

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  /// What tinyproxy logged so far (one line per event, requests included).
  std::string Log() const;

 private:
  std::string dir_;
  int port_ = 0;
  std::unique_ptr<BackgroundProcess> process_;
};

}  // namespace brightoffice::tests

#endif  // BRIGHTOFFICE_TESTS_TINYPROXY_H
