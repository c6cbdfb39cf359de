// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#include "clients.h"
#include "raw_request.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <openssl/ssl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string_view>
#include <vector>

#include "brightoffice/client.h"
#include "brightoffice_gsoapBrightOfficeAPISoapProxy.h"
#include "canned_reply.h"
#include "internal/gsoap_connection.h"

namespace brightoffice::bench {

const Namespace* Soap11Namespaces(const Namespace* generated) {
  return internal::NamespaceTable(generated, SoapVersion::kSoap11);  // the facade's own table
}

namespace {

// --- facade ---------------------------------------------------------------------------------
class FacadeClient final : public BenchClient {
 public:
  explicit FacadeClient(std::shared_ptr<Client> client) : client_(std::move(client)) {
    customer_.email = kEmail;
    customer_.mfa_code = Secret(kMfaCode);
  }
  bool Call() override {
    auto result = client_->ConfirmCustomerUserMfa(customer_);
    if (!result.ok()) {
      error_ = result.status().ToString();
      return false;
    }
    if (!result->succeeded()) {
      error_ = "service answered " + result->raw_code;
      return false;
    }
    return true;
  }
  std::string LastError() const override { return error_; }

 private:
  std::shared_ptr<Client> client_;
  CustomerInfo customer_;
  std::string error_;
};

class FacadeFactory final : public ClientFactory {
 public:
  explicit FacadeFactory(std::shared_ptr<Client> client) : client_(std::move(client)) {}
  std::unique_ptr<BenchClient> NewClient() override { return std::make_unique<FacadeClient>(client_); }

 private:
  std::shared_ptr<Client> client_;
};

// --- raw generated proxy ---------------------------------------------------------------------
namespace gs = ::brightoffice_gsoap;

class RawProxyClient final : public BenchClient {
 public:
  explicit RawProxyClient(const ClientConfig& config)
      : endpoint_(config.endpoint),
        proxy_(config.keep_alive ? SOAP_C_UTFSTRING | SOAP_IO_KEEPALIVE : SOAP_C_UTFSTRING) {
    soap_set_namespaces(proxy_.soap, Soap11Namespaces(proxy_.soap->namespaces));
    if (endpoint_.rfind("https://", 0) == 0) {
      soap_ssl_client_context(proxy_.soap, SOAP_SSL_REQUIRE_SERVER_AUTHENTICATION | SOAP_TLSv1_2 | SOAP_TLSv1_3, nullptr, nullptr,
                              config.ca_file.empty() ? nullptr : config.ca_file.c_str(), nullptr, nullptr);
    }
  }
  bool Call() override {
    RawRequest raw;
    gs::_tempuri__ConfirmCustomerUserMFAResponse response;
    bool ok = false;
    if (proxy_.ConfirmCustomerUserMFA(endpoint_.c_str(), nullptr, &raw.request, response) == SOAP_OK) {
      ok = response.ConfirmCustomerUserMFAResult != nullptr &&
           response.ConfirmCustomerUserMFAResult->SuccessCode == "SUCCESS";
      if (!ok) error_ = "no SUCCESS in the answer";
    } else {
      const char* s = proxy_.soap_fault_string();
      error_ = "gSOAP error " + std::to_string(proxy_.soap->error) + (s ? std::string(": ") + s : "");
      proxy_.soap_force_close_socket();
    }
    proxy_.destroy();
    return ok;
  }
  std::string LastError() const override { return error_; }

 private:
  std::string endpoint_;
  gs::BrightOfficeAPISoapProxy proxy_;
  std::string error_;
};

class RawProxyFactory final : public ClientFactory {
 public:
  explicit RawProxyFactory(ClientConfig config) : config_(std::move(config)) {}
  std::unique_ptr<BenchClient> NewClient() override { return std::make_unique<RawProxyClient>(config_); }

 private:
  ClientConfig config_;
};

// --- raw socket: the limit --------------------------------------------------------------------
class RawSocketClient final : public BenchClient {
 public:
  RawSocketClient(sockaddr_in addr, std::string request, bool keep_alive, SSL_CTX* tls)
      : addr_(addr), request_(std::move(request)), keep_alive_(keep_alive), tls_(tls) {
    buf_.resize(65536);
  }
  ~RawSocketClient() override {
    Close();
    if (session_ != nullptr) SSL_SESSION_free(session_);
  }

  bool Call() override {
    if (fd_ < 0 && !Connect()) return false;
    if (!WriteAll()) {
      Close();
      return false;
    }
    bool server_closes = false;
    const bool ok = ReadReply(&server_closes);
    if (!ok || !keep_alive_ || server_closes) Close();
    return ok;
  }
  std::string LastError() const override { return error_; }

 private:
  bool Connect() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&addr_), sizeof addr_) != 0) {
      error_ = std::string("connect: ") + std::strerror(errno);
      Close();
      return false;
    }
    if (tls_ != nullptr) {
      ssl_ = SSL_new(tls_);
      SSL_set_fd(ssl_, fd_);
      SSL_set1_host(ssl_, "127.0.0.1");
      // Resume the last session, as gSOAP does (it keeps soap->session per host and port).
      if (session_ != nullptr) SSL_set_session(ssl_, session_);
      if (SSL_connect(ssl_) != 1) {
        error_ = "TLS handshake failed";
        Close();
        return false;
      }
    }
    return true;
  }
  void Close() {
    if (ssl_ != nullptr) {
      if (SSL_SESSION* s = SSL_get1_session(ssl_)) {
        if (session_ != nullptr) SSL_SESSION_free(session_);
        session_ = s;
      }
      SSL_free(ssl_);
    }
    ssl_ = nullptr;
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  ssize_t Write(const char* data, size_t n) {
    if (ssl_ != nullptr) return SSL_write(ssl_, data, static_cast<int>(n));
    return ::send(fd_, data, n, MSG_NOSIGNAL);
  }
  ssize_t Read(char* data, size_t n) {
    if (ssl_ != nullptr) return SSL_read(ssl_, data, static_cast<int>(n));
    return ::recv(fd_, data, n, 0);
  }
  bool WriteAll() {
    size_t off = 0;
    while (off < request_.size()) {
      ssize_t w = Write(request_.data() + off, request_.size() - off);
      if (w <= 0) {
        error_ = std::string("send: ") + std::strerror(errno);
        return false;
      }
      off += static_cast<size_t>(w);
    }
    return true;
  }
  // Reads one response: headers, then Content-Length bytes of body.
  // Sets *server_closes when the reply says "Connection: close" (gSOAP servers, like ASMX, end a
  // keep-alive connection after 100 requests).
  bool ReadReply(bool* server_closes) {
    size_t have = 0, need = 0;
    for (;;) {
      ssize_t r = Read(buf_.data() + have, buf_.size() - have);
      if (r <= 0) {
        error_ = "connection closed before a complete reply";
        return false;
      }
      have += static_cast<size_t>(r);
      if (need == 0) {
        const char* end = static_cast<const char*>(memmem(buf_.data(), have, "\r\n\r\n", 4));
        if (end == nullptr) continue;
        const char* cl = static_cast<const char*>(memmem(buf_.data(), end - buf_.data(), "Content-Length:", 15));
        if (cl == nullptr) {
          error_ = "reply without Content-Length";
          return false;
        }
        if (std::strncmp(buf_.data(), "HTTP/1.1 200", 12) != 0) {
          error_ = "reply status is not 200";
          return false;
        }
        need = static_cast<size_t>(end - buf_.data()) + 4 + std::strtoul(cl + 15, nullptr, 10);
        const std::string_view head(buf_.data(), static_cast<size_t>(end - buf_.data()));
        *server_closes = head.find("Connection: close") != std::string_view::npos ||
                         head.find("connection: close") != std::string_view::npos;
      }
      if (have >= need) return true;
    }
  }

  sockaddr_in addr_;
  std::string request_;
  bool keep_alive_;
  SSL_CTX* tls_;
  SSL* ssl_ = nullptr;
  SSL_SESSION* session_ = nullptr;
  int fd_ = -1;
  std::vector<char> buf_;
  std::string error_;
};

class RawSocketFactory final : public ClientFactory {
 public:
  RawSocketFactory(sockaddr_in addr, std::string request, bool keep_alive, SSL_CTX* tls)
      : addr_(addr), request_(std::move(request)), keep_alive_(keep_alive), tls_(tls) {}
  std::unique_ptr<BenchClient> NewClient() override {
    return std::make_unique<RawSocketClient>(addr_, request_, keep_alive_, tls_);
  }

 private:
  sockaddr_in addr_;
  std::string request_;
  bool keep_alive_;
  SSL_CTX* tls_;  // shared by the callers, never freed (lives as long as the program)
};

}  // namespace

std::unique_ptr<ClientFactory> ClientFactory::Make(const std::string& kind, const ClientConfig& config,
                                                   std::string* error) {
  if (kind == "facade") {
    Options options;
    options.endpoint = config.endpoint;
    options.keep_alive = config.keep_alive;
    options.ca_file = config.ca_file;
    if (config.timeout_ms > 0) {
      options.connect_timeout = options.io_timeout = options.deadline = std::chrono::milliseconds(config.timeout_ms);
    }
    auto client = Client::Create(options, {kApiUser, Secret(kApiPassword)});
    if (!client.ok()) {
      *error = client.status().ToString();
      return nullptr;
    }
    return std::make_unique<FacadeFactory>(std::make_shared<Client>(std::move(*client)));
  }
  const bool https = config.endpoint.rfind("https://", 0) == 0;
  if (kind == "raw_proxy") {
    if (https) {
      static std::once_flag once;
      std::call_once(once, [] { soap_ssl_init(); });
    }
    return std::make_unique<RawProxyFactory>(config);
  }
  if (kind == "raw_socket") {
    // http(s)://HOST:PORT/...  (numeric IPv4 host; the benchmarks only use 127.0.0.1)
    SSL_CTX* tls = nullptr;
    if (https) {
      tls = SSL_CTX_new(TLS_client_method());
      SSL_CTX_set_min_proto_version(tls, TLS1_2_VERSION);
      SSL_CTX_set_verify(tls, SSL_VERIFY_PEER, nullptr);
      if (config.ca_file.empty() || SSL_CTX_load_verify_locations(tls, config.ca_file.c_str(), nullptr) != 1) {
        *error = "raw_socket over https needs --ca-file";
        return nullptr;
      }
    } else if (config.endpoint.rfind("http://", 0) != 0) {
      *error = "the endpoint must be http:// or https://";
      return nullptr;
    }
    const std::string rest = config.endpoint.substr(https ? 8 : 7);
    const std::string host_port = rest.substr(0, rest.find('/'));
    const size_t colon = host_port.find(':');
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(colon == std::string::npos ? 80 : std::atoi(host_port.c_str() + colon + 1));
    if (inet_pton(AF_INET, host_port.substr(0, colon).c_str(), &addr.sin_addr) != 1) {
      *error = "raw_socket needs a numeric IPv4 host";
      return nullptr;
    }
    return std::make_unique<RawSocketFactory>(addr, RequestHttp(host_port, config.keep_alive), config.keep_alive, tls);
  }
  *error = "unknown client " + kind + " (facade, raw_proxy, raw_socket)";
  return nullptr;
}

}  // namespace brightoffice::bench
