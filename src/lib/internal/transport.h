// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_INTERNAL_TRANSPORT_H
#define BRIGHTOFFICE_INTERNAL_TRANSPORT_H

// The transport policy's own I/O: every wait of a call is bounded here by what is left of its
// deadline, whatever gSOAP's loops would do. TCP connect (every address of the host together),
// a proxy's CONNECT, the TLS handshake and TLS records are driven by this code, not by gSOAP's
// tcp_connect/frecv/fsend: a socket BIO of its own waits with poll() bounded by the deadline,
// and writes with MSG_NOSIGNAL (no SIGPIPE, and no signal mask ever). One SSL_CTX per policy
// (a Connection or a gsoap::Policy) is shared by all its connections: the CAs are loaded once
// and TLS sessions are resumed across the pool.

#include <openssl/ssl.h>
#include <sys/socket.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "brightoffice/options.h"
#include "brightoffice/status.h"
#include "internal/endpoint.h"
#include "internal/error_map.h"
#include "internal/text.h"

namespace brightoffice::internal {

using Clock = std::chrono::steady_clock;

/// One connection of a gSOAP context and the waiting rules of the call using it.
struct Link {
  int fd = -1;
  SSL* ssl = nullptr;
  Clock::time_point deadline;
  std::chrono::microseconds io_timeout{0};
  /// Poll before the next read (the first read of an answer, which is rarely there yet).
  bool wait_first = false;
  /// The bytes written now are the request's: once one is, the request may have been sent.
  bool request_bytes = false;
  /// "host:port" of a TLS connection: where its sessions are kept for resumption.
  std::string session_key;
  Observations* seen = nullptr;
  /// With Options::trace: each HTTP message the transport itself exchanges (a proxy's CONNECT
  /// and its answer), appended as they happen. Null when not tracing.
  std::function<void(bool sent, std::string_view bytes)>* trace = nullptr;
};

/// Waits until `fd` is ready for `events` (POLLIN or POLLOUT), at most the smaller of what is
/// left of the deadline and the I/O timeout; false (with the reason in link.seen) when the
/// time runs out or poll fails.
bool WaitFor(Link& link, short events);

/// Reads up to n bytes: 0 at the end of the stream or on an error (recorded in link.seen).
std::size_t ReadSome(Link& link, char* data, std::size_t n);
/// Writes all n bytes; false on an error or timeout (recorded in link.seen).
bool WriteAll(Link& link, const char* data, std::size_t n);

/// The same over link.ssl (application data: records are read and written through the
/// connection's BIO, so the same waits apply); OpenSSL's reason for a failure is recorded in
/// link.seen.
std::size_t TlsReadSome(Link& link, char* data, std::size_t n);
bool TlsWriteAll(Link& link, const char* data, std::size_t n);

/// The TLS context shared by every connection of one policy.
class TlsContext {
 public:
  /// Loads the system CAs and Options::ca_file / ca_dir; TLS 1.2 minimum; verification as
  /// the options say. kInvalidArgument when a CA file or folder cannot be loaded.
  static StatusOr<std::shared_ptr<TlsContext>> Create(const Options& options);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  SSL_CTX* ctx() const { return ctx_; }
  bool verify_peer() const { return verify_peer_; }
  bool verify_host() const { return verify_host_; }
  /// A copy of the latest session kept for "host:port", for the next connection there (the
  /// caller frees it), or null.
  SSL_SESSION* TakeSession(const std::string& key);
  /// Keeps `session` for "host:port" in place of the one before, when it is resumable; takes
  /// the caller's reference either way. No connection may hold the same object: give a copy
  /// (SSL_SESSION_dup) of a live connection's session, or its own after SSL_free.
  void PutSession(const std::string& key, SSL_SESSION* session);

 private:
  TlsContext() = default;
  static int VerifyChain(X509_STORE_CTX* store_ctx, void* arg);
  SSL_CTX* ctx_ = nullptr;
  bool verify_peer_ = true;
  bool verify_host_ = true;
  // A session object in the cache belongs to the cache alone: connections get copies and give
  // copies (or their own after they are done with it), so no session object is read by one
  // thread while another frees it. (A session stored while its connection still used it was
  // seen racing under ThreadSanitizer; copies share only certificates, read-only by then.)
  std::mutex mu_;
  std::map<std::string, SSL_SESSION*> sessions_;
  // One chain verification at a time per context: OpenSSL fills a certificate's cached
  // extensions on first use without a safe hand-over between threads (openssl/openssl#32609,
  // #20402), and the trusted certificates of the store are shared by every connection.
  std::mutex verify_mu_;
};

/// Opens a TCP connection to host:port: every address the resolver gives, in order, each for
/// at most Options::connect_timeout, all within the deadline. The socket is non-blocking, with
/// TCP_NODELAY. -1 on failure (why in link.seen).
int TcpConnect(Link& link, const std::string& host, int port, std::chrono::milliseconds connect_timeout);

/// Asks an HTTP proxy on link.fd for a tunnel to `target` (CONNECT host:port). `basic` is the
/// base64 of "user:password" for Proxy-Authorization, or empty. False on failure (why in
/// link.seen: the proxy's status, or an I/O error).
bool ProxyConnect(Link& link, const Endpoint& target, const std::string& user_agent, const std::string& basic);

/// The TLS handshake with `target` on link.fd, the certificate verified as `tls` says (SNI and
/// the name check for a host name, the IP check for an address); resumes a session of the same
/// host:port when there is one. On success link.ssl is set. False on failure (why in link.seen).
bool TlsHandshake(Link& link, TlsContext& tls, const Endpoint& target);

/// Frees link.ssl without a close_notify exchange (quiet shutdown; HTTP frames its messages)
/// and closes link.fd. (Its sessions were kept as the server issued them.)
void CloseLink(Link& link);

/// Test seam (internal, for tests of the connect deadline across several addresses): when
/// set, replaces the system resolver for TcpConnect.
using ResolverForTesting = std::function<std::vector<sockaddr_storage>(const std::string& host, int port)>;
void SetResolverForTesting(ResolverForTesting resolver);

}  // namespace brightoffice::internal

#endif  // BRIGHTOFFICE_INTERNAL_TRANSPORT_H
