// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#include "internal/transport.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace brightoffice::internal {
namespace {

using std::chrono::duration_cast;
using std::chrono::microseconds;
using std::chrono::milliseconds;

std::mutex g_resolver_mu;
ResolverForTesting g_resolver;

bool IsIpv4(const std::string& host) {
  unsigned char address[4];
  return inet_pton(AF_INET, host.c_str(), address) == 1;
}

// ---------------------------------------------------------------------------------------------
// Waiting.

// poll() for at most `budget` (rounded up to a millisecond is too coarse for short budgets:
// ppoll takes nanoseconds).
int PollFor(int fd, short events, microseconds budget) {
  pollfd p{fd, events, 0};
  const timespec ts{static_cast<time_t>(budget.count() / 1000000), static_cast<long>((budget.count() % 1000000) * 1000)};
  for (;;) {
    const int r = ::ppoll(&p, 1, &ts, nullptr);
    if (r >= 0 || errno != EINTR) return r;
  }
}

// ---------------------------------------------------------------------------------------------
// A socket BIO whose reads and writes wait (poll) for at most what is left of the call, and
// whose writes never raise SIGPIPE. The BIO's data is the Link of the connection.

Link* LinkOf(BIO* bio) { return static_cast<Link*>(BIO_get_data(bio)); }

int BioRead(BIO* bio, char* out, int n) {
  BIO_clear_retry_flags(bio);
  Link* link = LinkOf(bio);
  if (link == nullptr || n <= 0) return -1;
  const std::size_t r = ReadSome(*link, out, static_cast<std::size_t>(n));
  return static_cast<int>(r);  // 0: end of stream or error; OpenSSL sees no retry flag
}

int BioWrite(BIO* bio, const char* data, int n) {
  BIO_clear_retry_flags(bio);
  Link* link = LinkOf(bio);
  if (link == nullptr || n < 0) return -1;
  return WriteAll(*link, data, static_cast<std::size_t>(n)) ? n : -1;
}

int BioPuts(BIO* bio, const char* text) { return BioWrite(bio, text, static_cast<int>(std::strlen(text))); }

long BioCtrl(BIO* bio, int cmd, long, void* ptr) {
  switch (cmd) {
    case BIO_CTRL_FLUSH:
      return 1;
    case BIO_C_GET_FD: {
      Link* link = LinkOf(bio);
      if (ptr != nullptr && link != nullptr) *static_cast<int*>(ptr) = link->fd;
      return link != nullptr ? link->fd : -1;
    }
    default:
      return 0;
  }
}

int BioCreate(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

const BIO_METHOD* LinkBio() {
  static const BIO_METHOD* const method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "brightoffice deadline socket");
    if (m == nullptr) return static_cast<BIO_METHOD*>(nullptr);
    BIO_meth_set_read(m, &BioRead);
    BIO_meth_set_write(m, &BioWrite);
    BIO_meth_set_puts(m, &BioPuts);
    BIO_meth_set_ctrl(m, &BioCtrl);
    BIO_meth_set_create(m, &BioCreate);
    return m;
  }();
  return method;
}

// ---------------------------------------------------------------------------------------------
// TLS diagnostics: which Link a handshake belongs to, and what went wrong.

int LinkIndex() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

Link* LinkOf(const SSL* ssl) { return static_cast<Link*>(SSL_get_ex_data(ssl, LinkIndex())); }

// Keeps OpenSSL's reason for a rejected certificate: its verify error (OpenSSL's fixed text),
// the depth, and the certificate's subject (text the server chose: server text).
int VerifyPeer(int ok, X509_STORE_CTX* store) {
  if (ok) return ok;
  auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  Link* link = ssl ? LinkOf(ssl) : nullptr;
  if (link == nullptr || link->seen == nullptr || !link->seen->tls_verify_error.empty()) return ok;
  const int error = X509_STORE_CTX_get_error(store);
  Observations& seen = *link->seen;
  if (error == X509_V_ERR_HOSTNAME_MISMATCH || error == X509_V_ERR_IP_ADDRESS_MISMATCH) seen.tls_host_mismatch = true;
  seen.tls_verify_error << SafeText::Trusted(X509_verify_cert_error_string(error));
  if (X509* cert = X509_STORE_CTX_get_current_cert(store)) {
    char subject[512];
    X509_NAME_oneline(X509_get_subject_name(cert), subject, sizeof subject);
    seen.tls_verify_error << SafeText(" (certificate ") << SafeText::Number(X509_STORE_CTX_get_error_depth(store))
                          << SafeText(" of the chain: ") << ServerText(subject) << SafeText(")");
  }
  return ok;
}

// A TLS alert from the server during the handshake (OpenSSL's fixed description).
void OnTlsEvent(const SSL* ssl, int where, int ret) {
  if ((where & SSL_CB_ALERT) == 0 || (where & SSL_CB_READ) == 0) return;
  Link* link = LinkOf(ssl);
  if (link != nullptr && link->seen != nullptr && link->seen->tls_alert.empty()) {
    link->seen->tls_alert = SSL_alert_desc_string_long(ret);
  }
}

int NewSession(SSL* ssl, SSL_SESSION* session);

int TlsContextIndex() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}
int SessionKeyIndex() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

// A session the server issued (TLS 1.2 at the end of the handshake, TLS 1.3 in a ticket after
// it): kept for the next connection to the same host:port, from any context of the policy.
int NewSession(SSL* ssl, SSL_SESSION* session) {
  auto* tls = static_cast<TlsContext*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), TlsContextIndex()));
  auto* key = static_cast<const std::string*>(SSL_get_ex_data(ssl, SessionKeyIndex()));
  if (tls == nullptr || key == nullptr) return 0;
  tls->PutSession(*key, SSL_SESSION_dup(session));  // the connection goes on using `session`
  return 0;  // no reference of OpenSSL's kept
}

std::string ReasonOfLastError() {
  const unsigned long e = ERR_peek_last_error();
  const char* reason = e != 0 ? ERR_reason_error_string(e) : nullptr;
  return reason != nullptr ? reason : "";
}

}  // namespace

// ---------------------------------------------------------------------------------------------

bool WaitFor(Link& link, short events) {
  Observations& seen = *link.seen;
  for (;;) {
    const microseconds left = duration_cast<microseconds>(link.deadline - Clock::now());
    if (left.count() <= 0) {
      seen.deadline_expired = true;
      return false;
    }
    const microseconds budget = std::min(left, link.io_timeout);
    const int r = PollFor(link.fd, events, budget);
    if (r > 0) return true;
    if (r < 0) {
      seen.errnum = errno;
      return false;
    }
    if (budget >= left) {
      seen.deadline_expired = true;
    } else {
      seen.io_timed_out = true;
    }
    return false;
  }
}

std::size_t ReadSome(Link& link, char* data, std::size_t n) {
  if (link.wait_first) {
    link.wait_first = false;
    if (!WaitFor(link, POLLIN)) return 0;
  }
  for (;;) {
    const ssize_t r = ::recv(link.fd, data, n, MSG_DONTWAIT);
    if (r > 0) return static_cast<std::size_t>(r);
    if (r == 0) {
      link.seen->peer_closed = true;
      return 0;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (!WaitFor(link, POLLIN)) return 0;
      continue;
    }
    link.seen->errnum = errno;
    return 0;
  }
}

bool WriteAll(Link& link, const char* data, std::size_t n) {
  // A send that does not wait needs no clock; when the socket is full, WaitFor bounds the wait
  // by what is left of the deadline (and fails at once once it has passed).
  while (n > 0) {
    const ssize_t w = ::send(link.fd, data, n, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (w > 0) {
      if (link.request_bytes) link.seen->request_sent = true;
      data += w;
      n -= static_cast<std::size_t>(w);
      continue;
    }
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!WaitFor(link, POLLOUT)) return false;
      continue;
    }
    link.seen->errnum = w < 0 ? errno : EPIPE;
    return false;
  }
  return true;
}

namespace {

// After a failed SSL_read or SSL_write that returned `ret`: why, in link.seen (the first
// reason of the call is kept), and OpenSSL's error queue emptied.
void NoteTlsFailure(Link& link, int ret) {
  const int why = SSL_get_error(link.ssl, ret);
  if (why == SSL_ERROR_ZERO_RETURN) {
    link.seen->peer_closed = true;
  } else if (why == SSL_ERROR_SSL && link.seen->tls_library_error.empty()) {
    link.seen->tls_library_error = ReasonOfLastError();
  }
  ERR_clear_error();
}

}  // namespace

std::size_t TlsReadSome(Link& link, char* data, std::size_t n) {
  const int got = SSL_read(link.ssl, data, static_cast<int>(std::min<std::size_t>(n, INT_MAX)));
  if (got > 0) return static_cast<std::size_t>(got);
  NoteTlsFailure(link, got);
  return 0;
}

bool TlsWriteAll(Link& link, const char* data, std::size_t n) {
  while (n > 0) {
    const int w = SSL_write(link.ssl, data, static_cast<int>(std::min<std::size_t>(n, INT_MAX)));
    if (w <= 0) {
      NoteTlsFailure(link, w);
      return false;
    }
    data += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

// ---------------------------------------------------------------------------------------------

StatusOr<std::shared_ptr<TlsContext>> TlsContext::Create(const Options& options) {
  std::shared_ptr<TlsContext> tls(new TlsContext());
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == nullptr) return Status(ErrorKind::kTls, "cannot set up TLS: " + ReasonOfLastError());
  tls->ctx_ = ctx;
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  // HTTP frames its messages: a connection is closed without the close_notify exchange, so
  // closing never waits for the server.
  SSL_CTX_set_quiet_shutdown(ctx, 1);
  // Read what has arrived in one go (a record's header and body in one recv(), not two).
  SSL_CTX_set_read_ahead(ctx, 1);
  SSL_CTX_set_info_callback(ctx, &OnTlsEvent);
  SSL_CTX_set_ex_data(ctx, TlsContextIndex(), tls.get());
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
  SSL_CTX_sess_set_new_cb(ctx, &NewSession);
  tls->verify_peer_ = !options.insecure_skip_peer_verification;
  tls->verify_host_ = tls->verify_peer_ && !options.insecure_skip_host_verification;
  if (tls->verify_peer_) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, &VerifyPeer);
  } else {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  }
  SSL_CTX_set_cert_verify_callback(ctx, &TlsContext::VerifyChain, tls.get());
  if (SSL_CTX_set_default_verify_paths(ctx) != 1) ERR_clear_error();  // no system CAs: only the given ones
  if (!options.ca_file.empty() || !options.ca_dir.empty()) {
    ERR_clear_error();
    if (SSL_CTX_load_verify_locations(ctx, options.ca_file.empty() ? nullptr : options.ca_file.c_str(),
                                      options.ca_dir.empty() ? nullptr : options.ca_dir.c_str()) != 1) {
      const std::string why = ReasonOfLastError();
      ERR_clear_error();
      return Status(ErrorKind::kInvalidArgument,
                    std::string("cannot load the CA certificates of ca_file / ca_dir") + (why.empty() ? "" : ": " + why));
    }
  }
  return tls;
}

TlsContext::~TlsContext() {
  for (auto& [key, session] : sessions_) SSL_SESSION_free(session);
  if (ctx_ != nullptr) SSL_CTX_free(ctx_);
}

int TlsContext::VerifyChain(X509_STORE_CTX* store_ctx, void* arg) {
  auto* tls = static_cast<TlsContext*>(arg);
  std::lock_guard<std::mutex> lock(tls->verify_mu_);
  return X509_verify_cert(store_ctx);
}

SSL_SESSION* TlsContext::TakeSession(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(key);
  if (it == sessions_.end()) return nullptr;
  if (!SSL_SESSION_is_resumable(it->second)) {
    SSL_SESSION_free(it->second);
    sessions_.erase(it);
    return nullptr;
  }
  return SSL_SESSION_dup(it->second);
}

void TlsContext::PutSession(const std::string& key, SSL_SESSION* session) {
  if (session == nullptr) return;
  if (!SSL_SESSION_is_resumable(session)) {
    SSL_SESSION_free(session);
    return;
  }
  SSL_SESSION* before = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    SSL_SESSION*& slot = sessions_[key];
    before = slot;
    slot = session;
  }
  if (before != nullptr) SSL_SESSION_free(before);  // wipes its master secret
}

// ---------------------------------------------------------------------------------------------

void SetResolverForTesting(ResolverForTesting resolver) {
  std::lock_guard<std::mutex> lock(g_resolver_mu);
  g_resolver = std::move(resolver);
}

int TcpConnect(Link& link, const std::string& host, int port, milliseconds connect_timeout) {
  Observations& seen = *link.seen;
  std::vector<sockaddr_storage> addresses;
  {
    std::unique_lock<std::mutex> lock(g_resolver_mu);
    if (g_resolver) {
      ResolverForTesting resolver = g_resolver;
      lock.unlock();
      addresses = resolver(host, port);
    }
  }
  if (addresses.empty()) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_ADDRCONFIG;
    unsigned char probe[16];
    if (inet_pton(AF_INET, host.c_str(), probe) == 1 || inet_pton(AF_INET6, host.c_str(), probe) == 1) {
      hints.ai_flags = AI_NUMERICHOST;
    }
    addrinfo* list = nullptr;
    const std::string service = std::to_string(port);
    const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &list);
    if (rc != 0) {
      seen.resolve_error = rc == EAI_SYSTEM ? std::strerror(errno) : ::gai_strerror(rc);
      seen.host = host;
      return -1;
    }
    for (addrinfo* a = list; a != nullptr; a = a->ai_next) {
      sockaddr_storage s{};
      std::memcpy(&s, a->ai_addr, std::min<std::size_t>(a->ai_addrlen, sizeof s));
      addresses.push_back(s);
    }
    ::freeaddrinfo(list);
  }
  for (const sockaddr_storage& address : addresses) {
    const microseconds left = duration_cast<microseconds>(link.deadline - Clock::now());
    if (left.count() <= 0) {
      seen.deadline_expired = true;
      return -1;
    }
    const int fd = ::socket(address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      seen.errnum = errno;
      continue;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const socklen_t length = address.ss_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), length) == 0) return fd;
    if (errno != EINPROGRESS) {
      seen.errnum = errno;
      ::close(fd);
      continue;
    }
    const microseconds budget = std::min<microseconds>(left, connect_timeout);
    const int r = PollFor(fd, POLLOUT, budget);
    if (r > 0) {
      int error = 0;
      socklen_t size = sizeof error;
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size);
      if (error == 0) return fd;
      seen.errnum = error;
    } else if (r == 0) {
      if (budget >= left) {
        seen.deadline_expired = true;
        ::close(fd);
        return -1;
      }
      seen.connect_timed_out = true;
    } else {
      seen.errnum = errno;
    }
    ::close(fd);
  }
  // An address that refused or failed after one that timed out: the failure, not the timeout.
  if (seen.errnum != 0) seen.connect_timed_out = false;
  seen.connect_failed = true;
  return -1;
}

bool ProxyConnect(Link& link, const Endpoint& target, const std::string& user_agent, const std::string& basic) {
  Observations& seen = *link.seen;
  const std::string authority = target.Authority();
  std::string request = "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\nUser-Agent: " + user_agent + "\r\n";
  if (!basic.empty()) request += "Proxy-Authorization: Basic " + basic + "\r\n";
  request += "\r\n";
  if (link.trace) (*link.trace)(true, request);
  const bool written = WriteAll(link, request.data(), request.size());
  WipeString(request);
  if (!written) return false;
  // The answer's head, read byte-exactly: nothing may be taken from the tunnel after it. It
  // nearly always arrives whole: peek at it and take exactly the head; else byte by byte.
  std::string head;
  if (!WaitFor(link, POLLIN)) return false;
  char peek[16384];
  ssize_t got;
  do {
    got = ::recv(link.fd, peek, sizeof peek, MSG_PEEK | MSG_DONTWAIT);
  } while (got < 0 && errno == EINTR);
  if (got > 0) {
    const std::string_view seen_bytes(peek, static_cast<std::size_t>(got));
    const std::size_t end = seen_bytes.find("\r\n\r\n");
    if (end != std::string_view::npos) {
      head.resize(end + 4);
      if (ReadSome(link, head.data(), head.size()) != head.size()) return false;  // the kernel has them
    }
  }
  char ch;
  auto complete = [&head] { return head.size() >= 4 && head.compare(head.size() - 4, 4, "\r\n\r\n") == 0; };
  while (!complete()) {
    if (head.size() >= sizeof peek) break;
    if (ReadSome(link, &ch, 1) != 1) {
      if (link.trace && !head.empty()) (*link.trace)(false, head);
      if (!seen.deadline_expired && !seen.io_timed_out && seen.errnum == 0) seen.proxy_bad_answer = true;
      return false;
    }
    head += ch;
  }
  if (link.trace) (*link.trace)(false, head);
  int status = 0;
  if (head.size() >= 12 && head.compare(0, 5, "HTTP/") == 0 && head[8] == ' ') {
    status = std::atoi(head.c_str() + 9);
  }
  if (status < 100 || status > 599 || head.size() >= sizeof peek) {
    seen.proxy_bad_answer = true;
    return false;
  }
  if (status < 200 || status > 299) {
    seen.proxy_status = status;
    return false;
  }
  return true;
}

bool TlsHandshake(Link& link, TlsContext& tls, const Endpoint& target) {
  Observations& seen = *link.seen;
  seen.host = target.host;
  const BIO_METHOD* method = LinkBio();
  SSL* ssl = SSL_new(tls.ctx());
  BIO* bio = method != nullptr ? BIO_new(method) : nullptr;
  if (ssl == nullptr || bio == nullptr) {
    if (bio != nullptr) BIO_free(bio);
    if (ssl != nullptr) SSL_free(ssl);
    seen.tls_failed = true;
    seen.tls_library_error = "out of memory";
    return false;
  }
  BIO_set_data(bio, &link);
  SSL_set_bio(ssl, bio, bio);
  SSL_set_ex_data(ssl, LinkIndex(), &link);
  link.session_key = target.Authority();
  SSL_set_ex_data(ssl, SessionKeyIndex(), &link.session_key);
  const bool address = target.ipv6 || IsIpv4(target.host);  // no SNI for an address (RFC 6066)
  if (!address) SSL_set_tlsext_host_name(ssl, target.host.c_str());
  if (tls.verify_host()) {
    if (address) {
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), target.host.c_str());
    } else {
      SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      SSL_set1_host(ssl, target.host.c_str());
    }
  }
  if (SSL_SESSION* session = tls.TakeSession(link.session_key)) {
    SSL_set_session(ssl, session);
    SSL_SESSION_free(session);
  }
  ERR_clear_error();
  link.wait_first = false;
  link.ssl = ssl;
  if (SSL_connect(ssl) == 1) return true;
  seen.tls_failed = true;
  if (seen.tls_library_error.empty()) seen.tls_library_error = ReasonOfLastError();
  ERR_clear_error();
  link.ssl = nullptr;
  SSL_free(ssl);
  return false;
}

void CloseLink(Link& link) {
  if (link.ssl != nullptr) {
    SSL_set_quiet_shutdown(link.ssl, 1);
    SSL_shutdown(link.ssl);
    SSL_free(link.ssl);
    ERR_clear_error();
    link.ssl = nullptr;
  }
  if (link.fd >= 0) {
    ::close(link.fd);
    link.fd = -1;
  }
}

}  // namespace brightoffice::internal
