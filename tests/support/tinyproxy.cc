// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#include "tinyproxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "canned_server.h"

namespace brightoffice::tests {
namespace {

constexpr char kTinyproxy[] = "/usr/bin/tinyproxy";

bool Accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

TinyProxy::TinyProxy(const std::string& user, const std::string& password) {
  if (::access(kTinyproxy, X_OK) != 0) {
    throw std::runtime_error("tinyproxy is not installed (Debian package tinyproxy; `make deps`)");
  }
  const char* tmp = std::getenv("TMPDIR");
  std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/brightoffice-tinyproxy-XXXXXX";
  if (::mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp");
  dir_ = templ;
  port_ = UnusedPort();
  {
    std::ofstream conf(dir_ + "/tinyproxy.conf");
    conf << "Port " << port_ << "\nListen 127.0.0.1\nTimeout 30\nMaxClients 50\nAllow 127.0.0.1\n"
         << "LogFile \"" << dir_ << "/tinyproxy.log\"\nLogLevel Info\n";
    if (!user.empty()) conf << "BasicAuth " << user << " " << password << "\n";
    // No ConnectPort line: CONNECT to any port (the mock's port is random).
  }
  process_ = std::make_unique<BackgroundProcess>(
      std::vector<std::string>{kTinyproxy, "-d", "-c", dir_ + "/tinyproxy.conf"}, /*die_with_parent=*/true);
  const auto start = std::chrono::steady_clock::now();
  while (!Accepts(port_)) {
    if (std::chrono::steady_clock::now() - start > std::chrono::seconds(10)) {
      throw std::runtime_error("tinyproxy did not start listening on port " + std::to_string(port_));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

TinyProxy::~TinyProxy() {
  process_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string TinyProxy::Log() const {
  std::ifstream in(dir_ + "/tinyproxy.log");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace brightoffice::tests
