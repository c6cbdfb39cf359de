// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_TESTING_MOCK_SERVER_H
#define BRIGHTOFFICE_TESTING_MOCK_SERVER_H

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "brightoffice/status.h"

namespace brightoffice::testing {

/// How a MockServer runs. The defaults answer by the project's test contract.
struct MockServerOptions {
  /// Port on 127.0.0.1; 0 picks a free one.
  int port = 0;
  /// A JSON file of extra answers, matched before the test contract (see README).
  std::string fixtures_file;
  /// Added before every answer.
  std::chrono::milliseconds latency{0};
  /// When set, every request received (headers and body) is written to a file in this folder.
  std::string record_dir;
  /// Keep every request received in memory, for recorded_requests().
  bool capture_requests = false;
  /// Serve HTTPS (TLS 1.2 or 1.3) with this certificate chain (PEM: the server certificate
  /// first, then any intermediates) and this private key (PEM, unencrypted). Both or neither;
  /// they may name the same file. Empty: plain HTTP.
  std::string tls_cert_file;
  std::string tls_key_file;  ///< The private key for tls_cert_file (PEM).
  /// Connections served at once (one thread each), idle keep-alive ones included; at least 1.
  /// When a new connection arrives at the bound, the mock closes the connection that has
  /// waited longest for a request (an idle keep-alive connection, or one still sending its
  /// request or TLS handshake) and serves the new one; a connection whose request is being
  /// answered is never closed for it. While every connection is being answered, new ones wait
  /// in the listen queue (128 long) until one is free.
  std::size_t max_connections = 256;
  /// The largest request answered, in bytes as sent: request line, headers and body (chunked
  /// framing included; a compressed body is held to twice this once inflated); at least 1. A larger
  /// request gets an empty `413 Request Entity Too Large` (as soon as its Content-Length
  /// shows it, or when the bytes received pass the bound) and the connection is closed.
  std::size_t max_request_bytes = 1024 * 1024;
};

/// A request as the mock received it, byte for byte.
struct RecordedRequest {
  std::string head;  ///< Request line and headers, up to the blank line.
  std::string body;  ///< The body, exactly as received.
};

/// A BrightOffice stand-in built on the generated gSOAP service skeleton: serves
/// POST /Webservices/BrightOfficeAPI.asmx (SOAP 1.1 and 1.2, keep-alive, one thread per
/// connection) and GET ...?WSDL, answering ConfirmCustomerUserMFA and CustomerUserSendResetPassword
/// by the test contract.
///
/// Bounds, so that a test that misbehaves cannot take the mock (or its process) down:
/// - at most MockServerOptions::max_connections connections at once (256 by default; see
///   there what happens at the bound);
/// - requests of at most MockServerOptions::max_request_bytes (1 MiB by default; larger: 413
///   and the connection closed);
/// - pipelined requests on a connection are answered one after the other, in order (as
///   ASMX, a fault closes the connection, and what was sent after that request is dropped);
/// - a connection on which nothing arrives for 15 s (idle, or in the middle of a request) and
///   an answer the client does not take within 15 s end the connection;
/// - when accept() fails (out of file descriptors: EMFILE, ENFILE), the mock closes the
///   connection that has waited longest for a request, if there is one, and tries again
///   once it is gone, or after 100 ms: it does not spin, and Stop() still stops it.
///
/// Thread Safety: all member functions may be called from any thread.
class MockServer {
 public:
  /// Binds 127.0.0.1 and starts serving before it returns.
  /// Errors: kInvalidArgument for an unreadable or invalid fixtures file (the message names
  /// the entry, counted from 0, and the key; see README) or record folder, a bound of 0,
  /// or when only one of tls_cert_file / tls_key_file is given or either cannot be read,
  /// kTls when OpenSSL refuses the certificate or key, kConnection when the port cannot be bound.
  static StatusOr<std::unique_ptr<MockServer>> Start(MockServerOptions options = {});

  /// Stops serving and closes every connection.
  ~MockServer();
  MockServer(const MockServer&) = delete;
  MockServer& operator=(const MockServer&) = delete;

  /// The port it listens on (the one picked when MockServerOptions::port was 0).
  int port() const;
  /// "http://127.0.0.1:PORT/Webservices/BrightOfficeAPI.asmx" ("https://..." with TLS: a
  /// client verifying the certificate needs IP:127.0.0.1 in its subjectAltName, or calls
  /// "https://localhost:PORT/..." for a certificate that names localhost).
  std::string endpoint() const;
  /// Requests received so far (only with MockServerOptions::capture_requests).
  std::vector<RecordedRequest> recorded_requests() const;
  /// Number of requests answered so far, of either operation (results and faults).
  std::size_t requests_answered() const;
  /// Stops accepting, closes every connection and waits for the threads. Idempotent.
  void Stop();

 private:
  class Impl;
  explicit MockServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace brightoffice::testing

#endif  // BRIGHTOFFICE_TESTING_MOCK_SERVER_H
