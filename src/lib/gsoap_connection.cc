// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// The gSOAP-backed Connection: the only code that drives the generated proxy. It owns the
// transport policy (timeouts, deadline, TLS, keep-alive pool, User-Agent) and turns every
// gSOAP failure into a Status through MapGsoapError().

#include "internal/gsoap_connection.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <mutex>
#include <optional>
#include <vector>

#include "brightoffice/connection.h"
#include "brightoffice/version.h"
#include "brightoffice_gsoapBrightOfficeAPISoapProxy.h"
#include "internal/adapter.h"
#include "internal/endpoint.h"
#include "internal/text.h"
#include "internal/xml_guard.h"

namespace brightoffice {
namespace internal {

thread_local MemoryTransport* t_memory_transport = nullptr;

namespace {
constexpr char kEnv11[] = "http://schemas.xmlsoap.org/soap/envelope/";
constexpr char kEnc11[] = "http://schemas.xmlsoap.org/soap/encoding/";
constexpr char kEnv12[] = "http://www.w3.org/2003/05/soap-envelope";
constexpr char kEnc12[] = "http://www.w3.org/2003/05/soap-encoding";
}  // namespace

// The generated proxy installs a namespace table that lists the SOAP 1.2 envelope first, which
// makes gSOAP send SOAP 1.2 from both of its methods. These copies of it name exactly one
// envelope version each, so a context sends that version and accepts only that version back.
const Namespace* NamespaceTable(const Namespace* generated, SoapVersion version) {
  static std::once_flag once;
  static std::vector<Namespace> tables[2];
  std::call_once(once, [generated] {
    for (int v = 0; v < 2; ++v) {
      for (const Namespace* p = generated; p->id != nullptr; ++p) {
        Namespace entry = {p->id, p->ns, p->in, nullptr};
        if (std::strcmp(p->id, "SOAP-ENV") == 0) {
          entry.ns = v == 0 ? kEnv11 : kEnv12;
          entry.in = nullptr;
        } else if (std::strcmp(p->id, "SOAP-ENC") == 0) {
          entry.ns = v == 0 ? kEnc11 : kEnc12;
          entry.in = nullptr;
        }
        tables[v].push_back(entry);
      }
      tables[v].push_back(Namespace{nullptr, nullptr, nullptr, nullptr});
    }
  });
  return tables[version == SoapVersion::kSoap11 ? 0 : 1].data();
}

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::duration_cast;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using Proxy = ::brightoffice_gsoap::BrightOfficeAPISoapProxy;

// gSOAP timeouts: > 0 seconds, < 0 microseconds, 0 forever. Never 0 here.
int ToGsoapTimeout(microseconds budget) {
  if (budget.count() <= 0) return -1;
  if (budget > std::chrono::seconds(2000)) {
    return static_cast<int>((budget.count() + 999999) / 1000000);
  }
  return -static_cast<int>(budget.count());
}

std::string Seconds(milliseconds d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g s", static_cast<double>(d.count()) / 1000.0);
  return buf;
}

// gSOAP's own certificate verification callback, wrapped by VerifyPeer to keep OpenSSL's
// reason for a rejection. The handshake runs inside PooledContext::Open on the calling thread,
// which points t_trace at that call's trace meanwhile.
int (*g_gsoap_verify)(int, X509_STORE_CTX*) = nullptr;
thread_local CallTrace* t_trace = nullptr;

int VerifyPeer(int ok, X509_STORE_CTX* store) {
  const int result = g_gsoap_verify ? g_gsoap_verify(ok, store) : ok;
  if (!result && t_trace != nullptr && t_trace->tls_verify_error.empty()) {
    const int error = X509_STORE_CTX_get_error(store);
    std::string why = X509_verify_cert_error_string(error);
    if (X509* cert = X509_STORE_CTX_get_current_cert(store)) {
      char subject[256];
      X509_NAME_oneline(X509_get_subject_name(cert), subject, sizeof subject);
      why += " (certificate " + std::to_string(X509_STORE_CTX_get_error_depth(store)) + " of the chain: " +
             subject + ")";
    }
    t_trace->tls_verify_error = why;
  }
  return result;
}

// Keeps OpenSSL's reason for a failed handshake before gSOAP empties the error queue: a TLS
// alert from the server, or the error that ended SSL_connect (e.g. "wrong version number"
// when the server does not speak TLS).
void NoteHandshakeFailure(const SSL* ssl, int where, int ret) {
  if (t_trace == nullptr || !t_trace->tls_library_error.empty()) return;
  if ((where & SSL_CB_ALERT) != 0 && (where & SSL_CB_READ) != 0) {
    t_trace->tls_library_error = std::string("the server sent the TLS alert \"") +
                                 SSL_alert_desc_string_long(ret) + "\"";
  } else if ((where & SSL_CB_EXIT) != 0 && ret <= 0) {
    if (const unsigned long e = ERR_peek_last_error(); e != 0) {
      const char* reason = ERR_reason_error_string(e);
      if (reason != nullptr) t_trace->tls_library_error = std::string("OpenSSL: ") + reason;
    }
  }
  (void)ssl;
}

// gSOAP sends the endpoint's host as SNI even when it is an IP address, which RFC 6066 does
// not permit (some servers refuse such a handshake). Just before the ClientHello is written,
// an IP literal is taken out again; a host name stays.
void OnTlsEvent(const SSL* ssl, int where, int ret) {
  NoteHandshakeFailure(ssl, where, ret);
  if ((where & SSL_CB_HANDSHAKE_START) == 0) return;
  const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  if (name == nullptr) return;
  unsigned char address[16];
  if (inet_pton(AF_INET, name, address) == 1 || inet_pton(AF_INET6, name, address) == 1) {
    SSL_set_tlsext_host_name(const_cast<SSL*>(ssl), nullptr);
  }
}

// OpenSSL's socket BIO writes with write(), without MSG_NOSIGNAL, so a server that closes the
// connection during a TLS write would raise SIGPIPE, whose default action ends the process.
// While a connection is opened (TCP, a proxy's CONNECT, the TLS handshake inside gSOAP), SIGPIPE
// is blocked in the calling thread and one raised meanwhile is taken off again; the caller's
// signal setup is left as it was. Once the handshake is done the connection's BIO is swapped for
// NoSigpipeSocket() below, so later calls on it need no signal mask (four system calls per
// call less); plain sockets are written with MSG_NOSIGNAL (gSOAP's socket_flags).
class ScopedSigpipeBlock {
 public:
  ScopedSigpipeBlock() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t old;
    pthread_sigmask(SIG_BLOCK, &pipe_, &old);
    was_blocked_ = sigismember(&old, SIGPIPE) == 1;
    if (!was_blocked_) {
      sigset_t pending;
      sigpending(&pending);
      was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    }
  }
  ~ScopedSigpipeBlock() {
    if (was_blocked_) return;
    if (!was_pending_) {
      sigset_t pending;
      sigpending(&pending);
      if (sigismember(&pending, SIGPIPE) == 1) {
        const timespec zero{0, 0};
        sigtimedwait(&pipe_, nullptr, &zero);
      }
    }
    pthread_sigmask(SIG_UNBLOCK, &pipe_, nullptr);
  }
  ScopedSigpipeBlock(const ScopedSigpipeBlock&) = delete;
  ScopedSigpipeBlock& operator=(const ScopedSigpipeBlock&) = delete;

 private:
  sigset_t pipe_;
  bool was_blocked_ = false;
  bool was_pending_ = false;
};

// A socket BIO whose writes use send(MSG_NOSIGNAL): OpenSSL's own socket BIO with its write
// (and puts) replaced; reading, control and the descriptor handling are OpenSSL's.
int NoSigpipeWrite(BIO* bio, const char* data, int n) {
  int fd = -1;
  BIO_get_fd(bio, &fd);
  errno = 0;
  const ssize_t w = ::send(fd, data, static_cast<std::size_t>(n), MSG_NOSIGNAL);
  BIO_clear_retry_flags(bio);
  if (w <= 0 && BIO_sock_should_retry(static_cast<int>(w))) BIO_set_retry_write(bio);
  return static_cast<int>(w);
}
int NoSigpipePuts(BIO* bio, const char* text) { return NoSigpipeWrite(bio, text, static_cast<int>(std::strlen(text))); }

const BIO_METHOD* NoSigpipeSocket() {
  static const BIO_METHOD* const method = [] {
    const BIO_METHOD* base = BIO_s_socket();
    BIO_METHOD* m = BIO_meth_new(BIO_TYPE_SOCKET, "socket (send with MSG_NOSIGNAL)");
    if (m == nullptr) return static_cast<BIO_METHOD*>(nullptr);
    BIO_meth_set_write(m, &NoSigpipeWrite);
    BIO_meth_set_puts(m, &NoSigpipePuts);
    BIO_meth_set_read(m, BIO_meth_get_read(base));
    BIO_meth_set_gets(m, BIO_meth_get_gets(base));
    BIO_meth_set_ctrl(m, BIO_meth_get_ctrl(base));
    BIO_meth_set_create(m, BIO_meth_get_create(base));
    BIO_meth_set_destroy(m, BIO_meth_get_destroy(base));
    BIO_meth_set_callback_ctrl(m, BIO_meth_get_callback_ctrl(base));
    return m;
  }();
  return method;
}

// After gSOAP's handshake: the connection's reads and writes go through a NoSigpipeSocket BIO
// on the same descriptor (SSL_set_bio frees gSOAP's; gSOAP never frees soap->bio itself, SSL_free
// does). False if it could not be made: the caller then keeps the signal mask for the call.
bool UseNoSigpipeBio(struct soap* soap) {
  const BIO_METHOD* method = NoSigpipeSocket();
  if (method == nullptr || soap->ssl == nullptr) return false;
  BIO* bio = BIO_new(method);
  if (bio == nullptr) return false;
  BIO_set_fd(bio, static_cast<int>(soap->socket), BIO_NOCLOSE);
  SSL_set_bio(soap->ssl, bio, bio);
  soap->bio = bio;
  return true;
}

// One gSOAP context with its keep-alive connection, used by one call at a time.
struct PooledContext {
  Proxy proxy;
  const Options* options = nullptr;
  bool https = false;
  // Whether writes on the open connection can no longer raise SIGPIPE (see UseNoSigpipeBio);
  // while they can, SIGPIPE is blocked for the call.
  bool sigpipe_safe = true;
  std::optional<ScopedSigpipeBlock> sigpipe_block;
  bool tls_nonblocking = false;
  std::string user_agent;
  // The runtime's own transport functions, called by the hooks below.
  SOAP_SOCKET (*open)(struct soap*, const char*, const char*, int) = nullptr;
  int (*send)(struct soap*, const char*, size_t) = nullptr;
  size_t (*recv)(struct soap*, char*, size_t) = nullptr;
  int (*post_header)(struct soap*, const char*, const char*) = nullptr;
  // Per call.
  Clock::time_point deadline;
  CallTrace trace;
  // Receiving: whether the HTTP headers are over, the headers so far, the body's pre-check.
  bool in_body = false;
  std::string received_head;
  XmlGuard guard;
  // With Options::trace only: each HTTP message of the call in order (a proxy's CONNECT and its
  // answer, the request, the response): what was sent; for what arrived, its headers and its
  // body as gSOAP parsed it (decompressed). Secrets included: wiped after each call.
  struct Segment {
    bool sent = false;
    std::string head, body;
  };
  bool tracing = false;
  std::vector<Segment> segments;

  Segment& SegmentFor(bool sending) {
    if (segments.empty() || segments.back().sent != sending) {
      segments.emplace_back();
      segments.back().sent = sending;
    }
    return segments.back();
  }
  Clock::time_point last_used;
  // How much of soap->buf this call's messages used, so that only those bytes are cleansed.
  size_t buf_used = 0;

  explicit PooledContext(soap_mode mode) : proxy(mode) {}

  void NoteBuffer(struct soap* soap, const char* data, size_t n) {
    if (data >= soap->buf && data < soap->buf + sizeof soap->buf) {
      buf_used = std::max(buf_used, static_cast<size_t>(data - soap->buf) + n);
    }
  }

  static PooledContext* Of(struct soap* soap) { return static_cast<PooledContext*>(soap->user); }
  microseconds Remaining() const { return duration_cast<microseconds>(deadline - Clock::now()); }

  // Runs `io` with `timeout_field` set to what is left of min(limit, deadline), and records
  // which limit ran out when `failed(result)` and the whole budget was used.
  template <typename F, typename Failed>
  auto Timed(int& timeout_field, milliseconds limit, bool& limit_flag, F io, Failed failed) {
    const microseconds remaining = Remaining();
    const microseconds budget = std::min<microseconds>(limit, remaining);
    timeout_field = ToGsoapTimeout(budget);
    const auto start = Clock::now();
    auto result = io();
    if (failed(result) && Clock::now() - start + milliseconds(1) >= budget) {
      (budget >= remaining ? trace.deadline_expired : limit_flag) = true;
    }
    return result;
  }

  static SOAP_SOCKET Open(struct soap* soap, const char* endpoint, const char* host, int port) {
    PooledContext* c = Of(soap);
    if (c->Remaining().count() <= 0) {
      c->trace.deadline_expired = true;
      soap->error = SOAP_TCP_ERROR;
      return SOAP_INVALID_SOCKET;
    }
    // The TLS handshake inside open() runs under the I/O timeouts.
    soap->send_timeout = soap->recv_timeout =
        ToGsoapTimeout(std::min<microseconds>(c->options->io_timeout, c->Remaining()));
    if (t_memory_transport != nullptr) {
      // A descriptor that stays unreadable, so the pool keeps the "connection" as it keeps an
      // idle keep-alive one (its liveness poll() still runs), and gSOAP can close it.
      const int fd = ::eventfd(0, EFD_CLOEXEC);
      if (fd < 0) soap->error = SOAP_TCP_ERROR;
      return fd < 0 ? SOAP_INVALID_SOCKET : fd;
    }
    t_trace = &c->trace;
    if (c->https && !c->sigpipe_block) c->sigpipe_block.emplace();
    const SOAP_SOCKET socket = c->Timed(
        soap->connect_timeout, c->options->connect_timeout, c->trace.connect_timed_out,
        [&] { return c->open(soap, endpoint, host, port); },
        [](SOAP_SOCKET s) { return !soap_valid_socket(s); });
    t_trace = nullptr;
    c->sigpipe_safe = !c->https || (soap_valid_socket(socket) && UseNoSigpipeBio(soap));
    // gSOAP leaves the socket non-blocking when it has timeouts; only then may Send() try
    // SSL_write() without gSOAP's select() first.
    c->tls_nonblocking = c->https && soap_valid_socket(socket) && (::fcntl(socket, F_GETFL) & O_NONBLOCK) != 0;
    if (c->sigpipe_safe) c->sigpipe_block.reset();  // else it stays for the rest of the call
    return socket;
  }

  static int Send(struct soap* soap, const char* data, size_t n) {
    PooledContext* c = Of(soap);
    if (c->Remaining().count() <= 0) {
      c->trace.deadline_expired = true;
      return SOAP_EOF;
    }
    c->trace.request_may_be_sent = true;
    if (c->segments.empty() || !c->segments.back().sent) {
      // A new message goes out (after a proxy's CONNECT answer): a new response will come.
      c->in_body = false;
      c->received_head.clear();
      c->guard = XmlGuard(c->options->max_xml_depth);
    }
    if (c->tracing) c->SegmentFor(true).head.append(data, n);
    c->NoteBuffer(soap, data, n);
    if (t_memory_transport != nullptr) return SOAP_OK;
    // With a send timeout gSOAP select()s before every send(). A request this small nearly
    // always fits the socket buffer: try a non-blocking write first and hand gSOAP only what
    // did not fit (or, over plain HTTP, the error, which it then reports as usual).
    if (soap->ssl == nullptr && soap_valid_socket(soap->socket)) {
      const ssize_t w = ::send(soap->socket, data, n, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (w > 0) {
        if (static_cast<size_t>(w) == n) return SOAP_OK;
        data += w;
        n -= static_cast<size_t>(w);
      }
    } else if (soap->ssl != nullptr && c->tls_nonblocking && n <= static_cast<size_t>(INT_MAX)) {
      // gSOAP retries an SSL_write() that wants to wait with the same arguments, as OpenSSL
      // requires; a failure is reported as gSOAP reports it (end of file, with errno).
      ERR_clear_error();
      errno = 0;
      const int w = SSL_write(soap->ssl, data, static_cast<int>(n));
      if (w > 0 && static_cast<size_t>(w) == n) return SOAP_OK;
      if (w > 0) {  // partial writes, should gSOAP's mode ever allow them
        data += w;
        n -= static_cast<size_t>(w);
      } else {
        const int why = SSL_get_error(soap->ssl, w);
        if (why != SSL_ERROR_WANT_WRITE && why != SSL_ERROR_WANT_READ) {
          soap->errnum = errno;
          return SOAP_EOF;
        }
      }
    }
    return c->Timed(
        soap->send_timeout, c->options->io_timeout, c->trace.io_timed_out,
        [&] { return c->send(soap, data, n); }, [](int r) { return r != SOAP_OK; });
  }

  static size_t Recv(struct soap* soap, char* data, size_t n) {
    PooledContext* c = Of(soap);
    if (c->Remaining().count() <= 0) {
      c->trace.deadline_expired = true;
      return 0;
    }
    size_t r;
    if (MemoryTransport* m = t_memory_transport) {
      r = std::min(n, m->response.size() - m->offset);
      std::memcpy(data, m->response.data() + m->offset, r);
      m->offset += r;
    } else {
      r = c->Timed(
          soap->recv_timeout, c->options->io_timeout, c->trace.io_timed_out,
          [&] { return c->recv(soap, data, n); }, [](size_t got) { return got == 0; });
    }
    c->trace.bytes_received += r;
    c->NoteBuffer(soap, data, r);
    if (c->trace.bytes_received > c->options->max_response_bytes) {
      c->trace.response_too_large = true;
      return 0;
    }
    return r;
  }

  // Acquire() has just polled a reused connection (PeerClosedOrSpoke); gSOAP's own check of it
  // (soap_poll: one more select() per call) would only repeat that. A null fpoll would make
  // gSOAP reconnect on every call.
  static int Poll(struct soap*) { return SOAP_OK; }

  // gSOAP calls this with each raw buffer read until the HTTP headers are parsed, then with the
  // body part of the buffer again and each later buffer, decompressed.
  static int PrepareRecv(struct soap* soap, const char* data, size_t n) {
    PooledContext* c = Of(soap);
    if (n == 0) return SOAP_OK;
    if (soap->zlib_in != SOAP_ZLIB_NONE) {
      c->trace.bytes_decompressed += n;
      if (c->trace.bytes_decompressed > c->options->max_decompressed_bytes) {
        c->trace.decompressed_too_large = true;
        return SOAP_EOM;
      }
    }
    if (c->in_body) {
      if (c->tracing) c->SegmentFor(false).body.append(data, n);
      if (!c->guard.Feed(data, n)) {
        c->trace.xml_error = c->guard.error();
        return SOAP_SYNTAX_ERROR;
      }
    } else {
      // The headers (raw, possibly in several buffers); the part of the buffer after them
      // comes again as the body once gSOAP has parsed them.
      c->received_head.append(data, n);
      const std::size_t end = c->received_head.find("\r\n\r\n");
      if (end != std::string::npos) {
        c->received_head.resize(end + 4);
        c->in_body = true;
      }
      if (c->tracing) {
        std::string& head = c->SegmentFor(false).head;
        head.append(data, n);
        if (c->in_body) head.resize(head.find("\r\n\r\n") + 4);
      }
      if (c->received_head.size() > 65536) {
        c->received_head.erase(0, c->received_head.size() - 3);  // enough to find "\r\n\r\n"
      }
    }
    return SOAP_OK;
  }

  static int PostHeader(struct soap* soap, const char* key, const char* value) {
    PooledContext* c = Of(soap);
    if (key != nullptr && std::strcmp(key, "User-Agent") == 0) value = c->user_agent.c_str();
    // SOAP 1.2 carries the action in the Content-Type; the help page sends no SOAPAction.
    if (key != nullptr && std::strcmp(key, "SOAPAction") == 0 && soap->version == 2) return SOAP_OK;
    return c->post_header(soap, key, value);
  }
};

// An idle keep-alive connection has nothing to read. Readable means the peer closed it (EOF)
// or sent something unasked; either way it must not carry the next request.
bool PeerClosedOrSpoke(SOAP_SOCKET socket) {
  pollfd p{socket, POLLIN, 0};
  return ::poll(&p, 1, 0) != 0;
}

class GsoapConnection final : public Connection {
 public:
  GsoapConnection(Options options, ApiCredentials credentials)
      : options_(std::move(options)), credentials_(std::move(credentials)) {
    https_ = options_.endpoint.rfind("https://", 0) == 0;
  }

  ~GsoapConnection() override = default;

  StatusOr<ServiceResult> ConfirmCustomerUserMfa(const CustomerInfo& customer) override {
    if (Status s = Validate(customer); !s.ok()) return s;
    // The deadline counts from here: setting up a new pooled context (for HTTPS, loading the
    // system's CA certificates: some 40 ms) is part of the call.
    const Clock::time_point deadline = Clock::now() + options_.deadline;
    auto context = Acquire();
    if (!context.ok()) return context.status();
    PooledContext& c = **context;
    // Only when a TLS connection kept OpenSSL's own BIO (could not swap it): see Open().
    if (!c.sigpipe_safe) c.sigpipe_block.emplace();
    struct soap* soap = c.proxy.soap;

    // Only a failure's text and the opt-in trace go through the redactor: it is built for
    // them, not on every call.
    std::string proxy_basic;  // base64 of "user:password", as in Proxy-Authorization
    auto make_redactor = [&] {
      Redactor redactor;
      redactor.Add(credentials_.password.Reveal());
      if (!options_.proxy_username.empty()) {
        redactor.Add(options_.proxy_password.Reveal());
        std::string plain = options_.proxy_username + ":" + std::string(options_.proxy_password.Reveal());
        if (proxy_basic.empty()) proxy_basic = Base64(plain);
        OPENSSL_cleanse(plain.data(), plain.size());
        redactor.Add(proxy_basic);
      }
      for (const auto* secret : {&customer.password, &customer.mfa_code,
                                 &customer.temporary_password, &customer.new_password}) {
        if (*secret) redactor.Add((*secret)->Reveal());
      }
      return redactor;
    };

    c.trace = CallTrace{};
    c.trace.deadline = options_.deadline;
    c.trace.max_response_bytes = options_.max_response_bytes;
    c.trace.max_decompressed_bytes = options_.max_decompressed_bytes;
    c.trace.max_xml_depth = options_.max_xml_depth;
    c.deadline = deadline;
    c.buf_used = 0;
    c.tracing = static_cast<bool>(options_.trace);
    c.segments.clear();

    StatusOr<ServiceResult> out = Status(ErrorKind::kMalformedResponse, "no response");
    {
      RequestHolder request(customer, credentials_);
      wire::Response response;
      const int rc =
          options_.soap_version == SoapVersion::kSoap11
              ? c.proxy.ConfirmCustomerUserMFA(options_.endpoint.c_str(), nullptr, request.get(), response)
              : c.proxy.ConfirmCustomerUserMFA_(options_.endpoint.c_str(), nullptr, request.get(), response);
      out = rc == SOAP_OK ? FromWire(response) : StatusOr<ServiceResult>(MapGsoapError(soap, c.trace, make_redactor()));
      if (!out.ok()) {
        // Never reuse a connection whose state is unknown.
        soap->keep_alive = 0;
        soap_force_closesock(soap);
      }
      // soap_destroy + soap_dealloc free the call's data as destroy() does, without its
      // soap_end -> soap_free_temp, which clears gSOAP's hash tables (about a third of the raw
      // proxy's instructions per call, callgrind) and runs again in the next call's soap_begin.
      soap_destroy(soap);
      soap_dealloc(soap, nullptr);
    }
    if (c.tracing) EmitTrace(c, make_redactor());
    for (auto& segment : c.segments) {
      for (std::string* b : {&segment.head, &segment.body}) {
        if (!b->empty()) OPENSSL_cleanse(b->data(), b->size());
      }
    }
    c.segments.clear();
    if (!c.received_head.empty()) OPENSSL_cleanse(c.received_head.data(), c.received_head.size());
    c.received_head.clear();
    if (!proxy_basic.empty()) OPENSSL_cleanse(proxy_basic.data(), proxy_basic.size());
    // The send/receive buffer held the serialized request, secrets included. After a success
    // only the bytes the hooks saw pass through it were used; after a failure wipe all of it.
    OPENSSL_cleanse(soap->buf, out.ok() ? std::min(sizeof soap->buf, c.buf_used) : sizeof soap->buf);
    OPENSSL_cleanse(soap->msgbuf, sizeof soap->msgbuf);
    // gSOAP formats "user:password" for the Proxy-Authorization header here.
    OPENSSL_cleanse(soap->tmpbuf, sizeof soap->tmpbuf);
    c.sigpipe_block.reset();
    Release(std::move(*context));
    return out;
  }

 private:
  // One trace message per HTTP message: the request (with a proxy's CONNECT before it), then
  // the response: its headers as received and its body as parsed (decompressed).
  void EmitTrace(const PooledContext& c, const Redactor& redactor) const {
    for (const auto& segment : c.segments) {
      std::string message = segment.head + segment.body;
      std::string shown = redactor.ApplyToHttp(message);
      OPENSSL_cleanse(message.data(), message.size());
      options_.trace(shown);
    }
  }

  Status Validate(const CustomerInfo& customer) const {
    const std::pair<const char*, const std::optional<std::string>*> texts[] = {
        {"CustomerInfo.Email", &customer.email}};
    for (const auto& [field, value] : texts) {
      if (*value) {
        if (Status s = ValidateXmlText(field, **value); !s.ok()) return s;
      }
    }
    const std::pair<const char*, const std::optional<Secret>*> secrets[] = {
        {"CustomerInfo.Password", &customer.password},
        {"CustomerInfo.MFACode", &customer.mfa_code},
        {"CustomerInfo.TemporaryPassword", &customer.temporary_password},
        {"CustomerInfo.NewPassword", &customer.new_password}};
    for (const auto& [field, value] : secrets) {
      if (*value) {
        if (Status s = ValidateXmlText(field, (*value)->Reveal()); !s.ok()) return s;
      }
    }
    return Status();
  }

  StatusOr<std::unique_ptr<PooledContext>> Acquire() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      while (!idle_.empty()) {
        std::unique_ptr<PooledContext> c = std::move(idle_.back());
        idle_.pop_back();
        struct soap* soap = c->proxy.soap;
        if (soap_valid_socket(soap->socket) &&
            (Clock::now() - c->last_used > options_.max_idle_time || PeerClosedOrSpoke(soap->socket))) {
          // Too old, or the server closed it (ASMX does after 100 responses and when idle):
          // open a new connection rather than write a request into a dead one.
          soap->keep_alive = 0;
          soap_force_closesock(soap);
        }
        return c;
      }
    }
    return NewContext();
  }

  void Release(std::unique_ptr<PooledContext> c) {
    c->last_used = Clock::now();
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_.size() < options_.max_idle_connections) idle_.push_back(std::move(c));
  }

  StatusOr<std::unique_ptr<PooledContext>> NewContext() {
    soap_mode mode = SOAP_C_UTFSTRING;
    if (options_.keep_alive) mode |= SOAP_IO_KEEPALIVE;
    auto c = std::make_unique<PooledContext>(mode);
    struct soap* soap = c->proxy.soap;
    c->options = &options_;
    c->https = https_;
    c->user_agent = options_.user_agent.empty()
                        ? "brightoffice-cpp/" + std::string(Version())
                        : options_.user_agent;
    soap_set_namespaces(soap, NamespaceTable(soap->namespaces, options_.soap_version));
    soap->user = c.get();
    // gSOAP's own send() and recv() on plain sockets: no SIGPIPE from a closed connection.
    soap->socket_flags = MSG_NOSIGNAL;
    c->open = soap->fopen;
    c->send = soap->fsend;
    c->recv = soap->frecv;
    c->post_header = soap->fposthdr;
    soap->fopen = &PooledContext::Open;
    soap->fsend = &PooledContext::Send;
    soap->frecv = &PooledContext::Recv;
    soap->fposthdr = &PooledContext::PostHeader;
    soap->fpoll = &PooledContext::Poll;
    // gSOAP's own cap counts decompressed bytes too and reports an end of file; set above our
    // limits (enforced in Recv and PrepareRecv), so that the error names the limit.
    soap->recv_maxlength = std::max(options_.max_response_bytes, options_.max_decompressed_bytes) + 2 * SOAP_BUFLEN;
    soap->maxlevel = options_.max_xml_depth;
    soap->fpreparerecv = &PooledContext::PrepareRecv;
    if (!options_.proxy_host.empty()) {
      // gSOAP keeps these pointers; options_ outlives every context. Reveal() views the
      // Secret's own (NUL-terminated) string, so no unwiped copy is made.
      soap->proxy_host = options_.proxy_host.c_str();
      soap->proxy_port = options_.proxy_port;
      if (!options_.proxy_username.empty()) {
        soap->proxy_userid = options_.proxy_username.c_str();
        soap->proxy_passwd = options_.proxy_password.Reveal().data();
      }
    }
    if (https_) {
      static std::once_flag ssl_once;
      std::call_once(ssl_once, [soap] {
        soap_ssl_init();
        g_gsoap_verify = soap->fsslverify;
      });
      soap->fsslverify = &VerifyPeer;
      unsigned short flags = SOAP_TLSv1_2 | SOAP_TLSv1_3;
      if (!options_.insecure_skip_peer_verification) flags |= SOAP_SSL_REQUIRE_SERVER_AUTHENTICATION;
      if (options_.insecure_skip_host_verification) flags |= SOAP_SSL_SKIP_HOST_CHECK;
      if (soap_ssl_client_context(soap, flags, nullptr, nullptr,
                                  options_.ca_file.empty() ? nullptr : options_.ca_file.c_str(),
                                  options_.ca_dir.empty() ? nullptr : options_.ca_dir.c_str(),
                                  nullptr) != SOAP_OK) {
        const char* detail = soap_fault_detail(soap);
        return Status(ErrorKind::kTls, std::string("cannot set up TLS (CA file or directory): ") +
                                           (detail ? detail : "unknown error"));
      }
      if (soap->ctx != nullptr) {
        SSL_CTX_set_info_callback(soap->ctx, &OnTlsEvent);
        // Closing a TLS connection, gSOAP sends close_notify and then waits up to 5 s for the
        // server's, outside any timeout of ours (measured: a failed call overran its deadline
        // by that wait). HTTP frames its messages by Content-Length, so the connection is
        // closed at once instead, without the close_notify exchange.
        SSL_CTX_set_quiet_shutdown(soap->ctx, 1);
      }
    }
    return c;
  }

  Options options_;
  ApiCredentials credentials_;
  bool https_ = false;
  std::mutex mu_;
  std::vector<std::unique_ptr<PooledContext>> idle_;
};

std::string Text(const char* s) { return s ? std::string(s) : std::string(); }

}  // namespace

Status MapGsoapError(struct soap* soap, const CallTrace& trace, const Redactor& redactor) {
  const int error = soap->error;
  const int http = soap->status;
  if (trace.deadline_expired) {
    return Status(ErrorKind::kTimeout, "no complete response within the call's deadline of " +
                                           Seconds(trace.deadline));
  }
  if (trace.connect_timed_out) {
    return Status(ErrorKind::kTimeout, "the connection to the server was not established within the connect timeout");
  }
  if (trace.io_timed_out) {
    return Status(ErrorKind::kTimeout, "the server stopped sending or receiving for longer than the I/O timeout");
  }
  const std::string fault_string = redactor.Apply(Text(soap_fault_string(soap)));
  const std::string fault_detail = redactor.Apply(Text(soap_fault_detail(soap)));
  const std::string errno_text = soap->errnum ? std::string(std::strerror(soap->errnum)) : "";

  if (error == SOAP_SSL_ERROR) {
    if (!trace.tls_verify_error.empty()) {
      return Status(ErrorKind::kTls, "TLS failed: the server's certificate was not accepted: " +
                                         trace.tls_verify_error);
    }
    std::string why = fault_detail.empty() ? fault_string : fault_detail;
    if (why.find("host name mismatch") != std::string::npos) {
      return Status(ErrorKind::kTls, "TLS failed: the server's certificate does not name the host '" +
                                         Text(soap->host) + "' of the endpoint (" + why + ")");
    }
    if (!trace.tls_library_error.empty()) why += ": " + trace.tls_library_error;
    return Status(ErrorKind::kTls, "TLS failed: " + why);
  }
  if (error == SOAP_TCP_ERROR) {
    return Status(ErrorKind::kConnection,
                  "cannot connect to the server: " + (errno_text.empty() ? fault_string : errno_text));
  }
  if (trace.decompressed_too_large) {
    return Status(ErrorKind::kMalformedResponse,
                  "the decompressed response is larger than the limit of max_decompressed_bytes (" +
                      std::to_string(trace.max_decompressed_bytes) + " bytes)")
        .set_http_status(http);
  }
  if (!trace.xml_error.empty()) {
    return Status(ErrorKind::kMalformedResponse, trace.xml_error).set_http_status(http);
  }
  if (error == SOAP_LEVEL) {
    return Status(ErrorKind::kMalformedResponse, "the response nests XML deeper than the limit of max_xml_depth (" +
                                                     std::to_string(trace.max_xml_depth) + " levels)")
        .set_http_status(http);
  }
  if (trace.response_too_large || error == SOAP_LENGTH) {
    return Status(ErrorKind::kMalformedResponse, "the response is larger than the limit of max_response_bytes (" +
                                                     std::to_string(trace.max_response_bytes) + " bytes)")
        .set_http_status(http);
  }
  if (error == SOAP_EOF) {
    return Status(ErrorKind::kConnection,
                  "the connection closed before a complete response arrived" +
                      (errno_text.empty() ? std::string() : " (" + errno_text + ")"));
  }
  // A SOAP fault: gSOAP parsed a Fault element from the body.
  if ((error == SOAP_FAULT || error == SOAP_CLI_FAULT || error == SOAP_SVR_FAULT) &&
      soap->fault != nullptr) {
    const char** code = soap_faultcode(soap);
    std::string fault_code = code && *code ? *code : "";
    if (const char* sub = soap_fault_subcode(soap); sub && soap->version == 2 && fault_code != sub) {
      fault_code += std::string(" / ") + sub;
    }
    // The fault code is server text too (found by the fuzzer: a secret echoed inside it).
    fault_code = redactor.Apply(fault_code);
    Status s(ErrorKind::kSoapFault, "the service answered with a SOAP fault: " +
                                        (fault_string.empty() ? fault_code : fault_string));
    s.set_fault(fault_code, fault_string, fault_detail);
    if (http) s.set_http_status(http);
    return s;
  }
  if (error >= 200 && error < 300) {
    return Status(ErrorKind::kMalformedResponse,
                  "the server answered HTTP " + std::to_string(error) + " without a SOAP response in the body")
        .set_http_status(error);
  }
  if ((error >= 100 && error < 600) || (http >= 300 && http < 600)) {
    const int status = (error >= 100 && error < 600) ? error : http;
    std::string message = "the server answered HTTP " + std::to_string(status);
    if (status == 407) message = "the proxy answered HTTP 407: proxy authentication required or refused";
    if (status >= 300 && status < 400) message += " (redirects are never followed: the MFA code is single-use)";
    return Status(ErrorKind::kHttpStatus, message).set_http_status(status);
  }
  const char* name = error == SOAP_TAG_MISMATCH      ? "an unexpected element (SOAP_TAG_MISMATCH)"
                     : error == SOAP_TYPE           ? "a value of the wrong type (SOAP_TYPE)"
                     : error == SOAP_SYNTAX_ERROR   ? "an XML syntax error (SOAP_SYNTAX_ERROR)"
                     : error == SOAP_NO_TAG         ? "no XML element (SOAP_NO_TAG)"
                     : error == SOAP_VERSIONMISMATCH ? "the wrong SOAP envelope (SOAP_VERSIONMISMATCH)"
                     : error == SOAP_ZLIB_ERROR     ? "a compressed body that does not inflate (SOAP_ZLIB_ERROR)"
                     : nullptr;
  std::string what = !fault_string.empty() ? fault_string
                     : name != nullptr     ? std::string(name)
                                           : "gSOAP error " + std::to_string(error);
  return Status(ErrorKind::kMalformedResponse,
                "the response is not a valid ConfirmCustomerUserMFA answer: " + what)
      .set_http_status(http);
}

}  // namespace internal

StatusOr<std::shared_ptr<Connection>> MakeConnection(Options options, ApiCredentials credentials) {
  // Parsed once, strictly; gSOAP is given only the canonical form, which it reads as the same
  // host, port and path (see internal/endpoint.h).
  auto endpoint = internal::ParseEndpoint(options.endpoint);
  if (!endpoint.ok()) return endpoint.status();
  options.endpoint = endpoint->ToString();
  if (options.deadline.count() <= 0 || options.connect_timeout.count() <= 0 ||
      options.io_timeout.count() <= 0) {
    return Status(ErrorKind::kInvalidArgument, "timeouts and the deadline must be positive");
  }
  if (!options.proxy_host.empty()) {
    if (Status s = internal::ValidateProxyHost(options.proxy_host); !s.ok()) return s;
    if (options.proxy_port <= 0 || options.proxy_port > 65535) {
      return Status(ErrorKind::kInvalidArgument, "proxy_port must be between 1 and 65535");
    }
    for (char ch : options.proxy_username) {
      if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f || ch == ':') {
        return Status(ErrorKind::kInvalidArgument, "proxy_username must not contain ':' or control characters");
      }
    }
    for (char ch : options.proxy_password.Reveal()) {
      if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) {
        return Status(ErrorKind::kInvalidArgument, "proxy_password must not contain control characters");
      }
    }
  }
  if (Status s = internal::ValidateXmlText("UserInfo.Username", credentials.username); !s.ok()) return s;
  if (Status s = internal::ValidateXmlText("UserInfo.Password", credentials.password.Reveal()); !s.ok()) return s;
  return std::shared_ptr<Connection>(
      std::make_shared<internal::GsoapConnection>(std::move(options), std::move(credentials)));
}

}  // namespace brightoffice
