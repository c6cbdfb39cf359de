// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_TESTS_SCRIPTED_SERVER_H
#define BRIGHTOFFICE_TESTS_SCRIPTED_SERVER_H

// A loopback HTTP or HTTPS server for tests whose every answer is a script: pieces of bytes,
// each after a pause, optionally dripped a byte at a time (over TLS: the bytes of the TLS
// records), then read the next request, close, or hold the connection open. Over TLS the
// server's handshake bytes can be dripped too. It counts connections (in total and at once)
// and requests in flight, and records every request. Sockets and OpenSSL only (memory BIOs,
// so that it controls every byte it writes): it shares nothing with the code under test.

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "test_certs.h"

namespace brightoffice::tests {

/// One request as the server read it (headers, then a Content-Length body).
struct ScriptedRequest {
  std::string head;        ///< Request line and headers, the blank line included.
  std::string body;
  int connection = 0;      ///< 1-based number of the connection it came on (accept order).
  int on_connection = 0;   ///< 1-based index of the request on its connection.
  int index = 0;           ///< 1-based index among all requests of the server.

  /// The request line without its CRLF, e.g. "POST /x HTTP/1.1".
  std::string RequestLine() const;
  /// The text of the first element of the body with this local name (any prefix), "" if none.
  std::string Element(const std::string& local_name) const;
};

/// Bytes the server writes, after `delay`; with `per_byte` non-zero, one byte at a time with
/// that pause after each (over TLS the piece is one write, and the bytes of its TLS records
/// are dripped).
struct Piece {
  std::string bytes;
  std::chrono::milliseconds delay{0};
  std::chrono::milliseconds per_byte{0};
};

struct ScriptedAnswer {
  /// After the pieces: read the next request, close the connection, or keep it open without
  /// reading or writing anything more (until the client closes it or the server stops).
  enum class Then { kReadNext, kClose, kHold };
  std::vector<Piece> pieces;
  Then then = Then::kReadNext;

  ScriptedAnswer& Add(std::string bytes, std::chrono::milliseconds delay = std::chrono::milliseconds(0),
                      std::chrono::milliseconds per_byte = std::chrono::milliseconds(0)) {
    pieces.push_back(Piece{std::move(bytes), delay, per_byte});
    return *this;
  }
  /// One piece, `bytes` at once (even when empty), then `then` (by default: close).
  static ScriptedAnswer Once(std::string bytes, Then then = Then::kClose) {
    ScriptedAnswer a;
    a.Add(std::move(bytes));
    a.then = then;
    return a;
  }
};

struct ScriptedServerOptions {
  std::string address = "127.0.0.1";  ///< Any loopback address (127.0.0.2 is loopback too).
  int port = 0;                       ///< 0: a free port.
  int backlog = 64;
  /// TLS when both are set (PEM files, e.g. from TestPki).
  std::string tls_cert_file;
  std::string tls_key_file;
  /// TLS only: a pause after every byte of the server's handshake messages.
  std::chrono::milliseconds handshake_per_byte{0};
  /// TLS only: the newest protocol version offered (e.g. TLS1_2_VERSION); 0: OpenSSL's newest.
  int tls_max_version = 0;
};

/// Options of a TLS server with this certificate and key (e.g. a TestPki leaf).
inline ScriptedServerOptions TlsOptions(const TestPki::Leaf& leaf) {
  ScriptedServerOptions o;
  o.tls_cert_file = leaf.cert;
  o.tls_key_file = leaf.key;
  return o;
}
/// Options of a TLS server with TestPki's `localhost` certificate (signed by the test CA).
inline ScriptedServerOptions TlsOptions() { return TlsOptions(TestPki::Get().localhost); }

class ScriptedServer {
 public:
  using Script = std::function<ScriptedAnswer(const ScriptedRequest&)>;
  /// Starts listening at once; throws std::runtime_error when it cannot.
  ScriptedServer(ScriptedServerOptions options, Script script);
  explicit ScriptedServer(Script script) : ScriptedServer(ScriptedServerOptions(), std::move(script)) {}
  /// Stops: closes every connection and waits for its threads.
  ~ScriptedServer();
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  int port() const { return port_; }
  /// "<scheme>://<host>:<port>/Webservices/BrightOfficeAPI.asmx" (https when TLS).
  std::string endpoint(const std::string& host = "127.0.0.1") const;
  std::vector<ScriptedRequest> requests() const;
  int connections() const { return connections_; }                ///< accepted so far
  int max_open_connections() const { return max_open_; }          ///< most open at once
  int max_requests_in_flight() const { return max_in_flight_; }    ///< most read and not yet answered at once
  int handshakes_completed() const { return handshakes_; }         ///< TLS only
  int handshakes_resumed() const { return resumed_; }              ///< TLS only: of those, resumed sessions

 private:
  class Channel;
  void Accept();
  void Serve(int fd, int number);
  bool Sleep(std::chrono::milliseconds d) const;  // false when stopping

  ScriptedServerOptions options_;
  Script script_;
  void* ctx_ = nullptr;  // SSL_CTX*
  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};  // a pipe that wakes the acceptor when stopping
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> open_{0};
  std::atomic<int> max_open_{0};
  std::atomic<int> in_flight_{0};
  std::atomic<int> max_in_flight_{0};
  std::atomic<int> handshakes_{0};
  std::atomic<int> resumed_{0};
  mutable std::mutex mu_;
  std::vector<ScriptedRequest> requests_;
  std::vector<int> open_fds_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

/// The namespaces of the SOAP 1.1 and SOAP 1.2 envelopes.
inline constexpr char kSoap11Envelope[] = "http://schemas.xmlsoap.org/soap/envelope/";
inline constexpr char kSoap12Envelope[] = "http://www.w3.org/2003/05/soap-envelope";
/// `text` with &, < and > escaped (XML character data).
std::string XmlEscape(const std::string& text);
/// An XML declaration and a soap:Envelope in namespace `ns` whose soap:Body holds `body` (as is).
std::string SoapEnvelope(const char* ns, const std::string& body);
/// A SOAP 1.1 ConfirmCustomerUserMFA answer (the envelope only) with this SuccessCode and
/// Message (XML-escaped here).
std::string SoapResult(const std::string& message, const std::string& code = "SUCCESS");
/// The same in a SOAP 1.2 envelope.
std::string SoapResult12(const std::string& message, const std::string& code = "SUCCESS");
/// A SOAP 1.1 fault envelope with this faultstring (XML-escaped here).
std::string SoapFault(const std::string& fault_string);
/// "HTTP/1.1 <status> <reason>\r\n" + headers (each ending in CRLF) + "\r\n": a head only.
std::string HttpHead(int status, const std::string& reason, const std::vector<std::string>& headers);
/// A complete HTTP/1.1 answer with Content-Type text/xml and an exact Content-Length.
std::string HttpAnswer(const std::string& body, int status = 200, const std::vector<std::string>& extra_headers = {});

/// The answer tagged with the request's e-mail: HttpAnswer(SoapResult(<its Email element>)),
/// status 200, with these extra headers.
std::string TaggedHttpAnswer(const ScriptedRequest& request, const std::vector<std::string>& extra_headers = {});
/// TaggedHttpAnswer(request, extra_headers) as one piece after `delay`, then `then`.
ScriptedAnswer TaggedAnswer(const ScriptedRequest& request, std::chrono::milliseconds delay = std::chrono::milliseconds(0),
                            ScriptedAnswer::Then then = ScriptedAnswer::Then::kReadNext,
                            const std::vector<std::string>& extra_headers = {});
/// A script answering every request with TaggedAnswer(request, delay): keep-alive.
ScriptedServer::Script TaggedScript(std::chrono::milliseconds delay = std::chrono::milliseconds(0));

}  // namespace brightoffice::tests

#endif  // BRIGHTOFFICE_TESTS_SCRIPTED_SERVER_H
