// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#include "internal/policy_plugin.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "brightoffice/version.h"

namespace brightoffice::internal {

thread_local MemoryTransport* t_memory_transport = nullptr;

namespace {

const char kPluginId[] = "brightoffice-transport-policy";

using std::chrono::milliseconds;

Status Invalid(std::string message) { return Status(ErrorKind::kInvalidArgument, std::move(message)); }

Status CheckDuration(const char* name, milliseconds value, bool zero_allowed = false) {
  if (value.count() < 0 || (!zero_allowed && value.count() == 0) || value > kMaxDuration) {
    return Invalid(std::string(name) + (zero_allowed ? " must be from 0 to 24 hours" : " must be above 0 and at most 24 hours"));
  }
  return Status();
}

// Header text: printable ASCII only (a CR or LF would end the header and start another).
Status CheckHeaderText(const char* name, std::string_view text, bool colon_allowed = true) {
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x7f) return Invalid(std::string(name) + " must be printable ASCII, without CR, LF or other control characters");
    if (!colon_allowed && ch == ':') return Invalid(std::string(name) + " must not contain ':'");
  }
  return Status();
}

// Which connection an endpoint needs: its scheme and authority.
std::string KeyOf(const Endpoint& e) { return (e.https ? "https://" : "http://") + e.Authority(); }

// An idle keep-alive connection has nothing to read. Readable means the peer closed it (EOF)
// or sent something unasked; either way it must not carry the next request.
bool PeerClosedOrSpoke(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) != 0;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// PolicyCore

StatusOr<std::shared_ptr<const PolicyCore>> PolicyCore::Create(Options options, bool endpoint_required) {
  std::shared_ptr<PolicyCore> core(new PolicyCore());
  if (!options.endpoint.empty() || endpoint_required) {
    auto endpoint = ParseEndpoint(options.endpoint);
    if (!endpoint.ok()) return endpoint.status();
    core->endpoint_text_ = endpoint->ToString();
    core->endpoint_key_ = KeyOf(*endpoint);
    core->endpoint_ = std::move(*endpoint);
  }
  if (Status s = CheckDuration("deadline", options.deadline); !s.ok()) return s;
  if (Status s = CheckDuration("connect_timeout", options.connect_timeout); !s.ok()) return s;
  if (Status s = CheckDuration("io_timeout", options.io_timeout); !s.ok()) return s;
  if (Status s = CheckDuration("max_idle_time", options.max_idle_time, true); !s.ok()) return s;
  if (options.max_connections < 1) return Invalid("max_connections must be at least 1");
  if (options.max_response_bytes < 1) return Invalid("max_response_bytes must be at least 1");
  if (options.max_decompressed_bytes < 1) return Invalid("max_decompressed_bytes must be at least 1");
  if (options.max_xml_depth < 1 || options.max_xml_depth > 10000) return Invalid("max_xml_depth must be from 1 to 10000");
  if (Status s = CheckHeaderText("user_agent", options.user_agent); !s.ok()) return s;
  core->user_agent_ = options.user_agent.empty() ? "brightoffice-cpp/" + std::string(Version()) : options.user_agent;
  if (!options.proxy_host.empty()) {
    if (Status s = ValidateProxyHost(options.proxy_host); !s.ok()) return s;
    if (options.proxy_port < 1 || options.proxy_port > 65535) return Invalid("proxy_port must be from 1 to 65535");
    if (Status s = CheckHeaderText("proxy_username", options.proxy_username, false); !s.ok()) return s;
    if (Status s = CheckHeaderText("proxy_password", options.proxy_password.Reveal()); !s.ok()) return s;
    if (options.proxy_host.front() == '[') options.proxy_host = options.proxy_host.substr(1, options.proxy_host.size() - 2);
    if (!options.proxy_username.empty()) {
      std::string plain = options.proxy_username + ":" + std::string(options.proxy_password.Reveal());
      core->proxy_basic_ = Base64(plain);
      WipeString(plain);
    }
  } else if (!options.proxy_username.empty()) {
    return Invalid("proxy_username is set but proxy_host is not");
  }
  core->options_ = std::move(options);
  CallFacts& facts = core->facts_;
  facts.deadline = core->options_.deadline;
  facts.connect_timeout = core->options_.connect_timeout;
  facts.io_timeout = core->options_.io_timeout;
  facts.max_response_bytes = core->options_.max_response_bytes;
  facts.max_decompressed_bytes = core->options_.max_decompressed_bytes;
  facts.max_xml_depth = core->options_.max_xml_depth;
  facts.max_connections = core->options_.max_connections;
  // The CAs are loaded once, here when TLS is sure to be needed or a CA file or folder is named
  // (so that an unreadable one is an invalid argument of the options), else on first use.
  const Options& o = core->options_;
  if ((core->endpoint_ && core->endpoint_->https) || !o.ca_file.empty() || !o.ca_dir.empty()) {
    Observations seen;
    if (core->Tls(seen) == nullptr) return Invalid(seen.tls_setup_error);
  }
  return std::shared_ptr<const PolicyCore>(std::move(core));
}

PolicyCore::~PolicyCore() { WipeString(proxy_basic_); }

TlsContext* PolicyCore::Tls(Observations& seen) const {
  std::call_once(tls_once_, [this] {
    auto tls = TlsContext::Create(options_);
    if (tls.ok()) {
      tls_ = std::move(*tls);
    } else {
      tls_error_ = tls.status().message();
    }
  });
  if (!tls_) seen.tls_setup_error = tls_error_;
  return tls_.get();
}

void PolicyCore::AddSecretsTo(Redactor& redactor) const {
  redactor.Add(options_.proxy_password.Reveal());
  redactor.Add(proxy_basic_);
}

// ---------------------------------------------------------------------------------------------
// The hooks gSOAP calls. Each finds the context's policy through the plugin registry (a pointer
// comparison of the first plugin's id in the common case).

struct PolicyHooks {
  static PolicyContext& Of(struct soap* soap) { return *PolicyContext::Of(soap); }

  static int Connect(struct soap* soap, const char* endpoint, const char*, int) {
    PolicyContext& c = Of(soap);
    if (!c.explicit_call_) {
      // A gSOAP application's call starts here. One whose outcome was never checked
      // (Policy::Check) is finished first: its trace written, its buffers wiped.
      if (c.in_call_) {
        std::vector<std::string> secrets = c.owned_secrets_;  // may be this call's too: kept
        c.EndCall(soap->error, soap->error == SOAP_OK);
        c.owned_secrets_ = std::move(secrets);
      }
      c.BeginOwnCall();
    }
    return c.Connect(endpoint);
  }

  // Never called (Connect opens connections), but a gSOAP path that would call the runtime's
  // own tcp_connect must not bypass the policy.
  static SOAP_SOCKET RefuseOpen(struct soap* soap, const char*, const char*, int) {
    soap->error = SOAP_TCP_ERROR;
    return SOAP_INVALID_SOCKET;
  }

  static int Close(struct soap* soap) {
    Of(soap).Close();
    return SOAP_OK;
  }

  static int CloseSocket(struct soap* soap, SOAP_SOCKET fd) {
    PolicyContext& c = Of(soap);
    if (fd == c.link_.fd) {
      c.Close();
    } else if (soap_valid_socket(fd)) {
      ::close(fd);
    }
    return SOAP_OK;
  }

  static int Send(struct soap* soap, const char* data, size_t n) {
    PolicyContext& c = Of(soap);
    if (!c.sending_) {
      // A request goes out: an answer of its own will come.
      c.sending_ = true;
      c.framer_.Reset();
      c.read_past_end_ = false;
      c.in_body_ = false;
      c.final_head_ = 0;
      c.guard_ = XmlGuard(c.core_->options().max_xml_depth, c.result_element_);
      c.link_.wait_first = true;
      // OpenSSL's error queue must be empty before an SSL_write/SSL_read for SSL_get_error to be
      // right; within the exchange nothing adds to it but a failure, which ends the call.
      if (c.link_.ssl != nullptr) ERR_clear_error();
    }
    if (c.tracing_) c.TraceSegment(true, std::string_view(data, n));
    c.NoteBuffer(data, n);
    if (t_memory_transport != nullptr) {
      c.seen_.request_sent = true;
      return SOAP_OK;
    }
    c.link_.request_bytes = true;
    const bool ok = c.link_.ssl != nullptr ? TlsWriteAll(c.link_, data, n) : WriteAll(c.link_, data, n);
    c.link_.request_bytes = false;
    if (!ok) soap->errnum = c.seen_.errnum;
    return ok ? SOAP_OK : SOAP_EOF;
  }

  static size_t Recv(struct soap* soap, char* data, size_t n) {
    PolicyContext& c = Of(soap);
    c.sending_ = false;
    if (c.framer_.in_head()) {
      // The answer's start: read until its head is complete, dropping interim (1xx) answers,
      // so that gSOAP sees the final answer only, whatever the segmentation.
      size_t got = 0;
      for (;;) {
        if (got == n) {
          c.seen_.headers_too_large = true;
          if (c.tracing_) c.TraceSegment(false, std::string_view(data, got), true);
          return 0;
        }
        const size_t r = c.RawRead(data + got, n - got);
        if (r == 0) {
          c.final_head_ = got;  // what came of a head that never ended: all of it, for the trace
          return got;
        }
        got += r;
        for (;;) {
          const size_t head = c.framer_.FeedHead(data, got);
          if (head == 0) break;
          if (!c.framer_.interim()) {
            c.seen_.http_status = c.framer_.status();
            c.final_head_ = head;
            // Bytes after the answer's end (a second message, junk) are not the answer's: gSOAP
            // never sees them, and the connection is not reused (the framer noted them).
            return c.framer_.message_bytes();
          }
          if (c.tracing_) c.TraceSegment(false, std::string_view(data, head), true);
          std::memmove(data, data + head, got - head);
          got -= head;
        }
      }
    }
    if (c.framer_.complete()) {
      c.read_past_end_ = true;  // gSOAP wants more than the answer holds
      return 0;
    }
    if (auto left = c.framer_.body_remaining()) n = static_cast<size_t>(std::min<std::uint64_t>(n, *left));
    const size_t r = c.RawRead(data, n);
    return c.framer_.FeedBody(data, r);  // without any bytes after the answer's end
  }

  static int PostHeader(struct soap* soap, const char* key, const char* value) {
    PolicyContext& c = Of(soap);
    if (key != nullptr && key[0] == 'U' && std::strcmp(key, "User-Agent") == 0) value = c.core_->user_agent().c_str();
    // SOAP 1.2 carries the action in the Content-Type; the help page sends no SOAPAction.
    if (key != nullptr && soap->version == 2 && key[0] == 'S' && std::strcmp(key, "SOAPAction") == 0) return SOAP_OK;
    return c.post_header_(soap, key, value);
  }

  // gSOAP calls this with each raw buffer read until the HTTP headers are parsed, then with the
  // body part of the buffer again and each later buffer, decompressed.
  static int PrepareRecv(struct soap* soap, const char* data, size_t n) {
    PolicyContext& c = Of(soap);
    if (n == 0) return SOAP_OK;
    if (soap->zlib_in != SOAP_ZLIB_NONE) {
      c.decompressed_ += n;
      if (c.decompressed_ > c.core_->options().max_decompressed_bytes) {
        c.seen_.decompressed_too_large = true;
        return SOAP_EOM;
      }
    }
    if (c.in_body_) {
      if (c.tracing_) c.TraceSegment(false, std::string_view(data, n));
      if (!c.guard_.Feed(data, n)) {
        c.seen_.xml_error = c.guard_.error();
        return SOAP_SYNTAX_ERROR;
      }
      return SOAP_OK;
    }
    // The answer's headers: Recv handed them to gSOAP whole, at the start of this first raw
    // buffer (final_head_ bytes); the part of the buffer after them comes again as the body
    // once gSOAP has parsed them.
    if (c.tracing_) c.TraceSegment(false, std::string_view(data, std::min(n, c.final_head_)));
    c.in_body_ = true;
    return SOAP_OK;
  }

  // ---- the plugin's own callbacks ----
  static int Copy(struct soap* copy, struct soap_plugin* dst, struct soap_plugin* src) {
    auto* from = static_cast<PolicyContext*>(src->data);
    // A copy starts without a connection of its own (gSOAP's copy shares the socket number).
    copy->socket = SOAP_INVALID_SOCKET;
    copy->ssl = nullptr;
    dst->id = src->id;
    dst->data = new PolicyContext(copy, from->core_);
    dst->fcopy = src->fcopy;
    dst->fdelete = src->fdelete;
    static_cast<PolicyContext*>(dst->data)->post_header_ = from->post_header_;
    return SOAP_OK;
  }

  static void Delete(struct soap*, struct soap_plugin* p) { delete static_cast<PolicyContext*>(p->data); }

  static int Create(struct soap* soap, struct soap_plugin* p, void* arg) {
    auto* core = static_cast<std::shared_ptr<const PolicyCore>*>(arg);
    auto* context = new PolicyContext(soap, *core);
    p->id = kPluginId;
    p->data = context;
    p->fcopy = &Copy;
    p->fdelete = &Delete;
    context->Install();
    return SOAP_OK;
  }
};

// ---------------------------------------------------------------------------------------------
// PolicyContext

PolicyContext::PolicyContext(struct soap* soap, std::shared_ptr<const PolicyCore> core)
    : soap_(soap), core_(std::move(core)) {
  link_.seen = &seen_;
  transport_trace_ = [this](bool sent, std::string_view bytes) { TraceSegment(sent, bytes, true); };
}

PolicyContext::~PolicyContext() {
  Close();
  WipeCall(false);
  for (auto& s : owned_secrets_) WipeString(s);
}

Status PolicyContext::Attach(struct soap* soap, std::shared_ptr<const PolicyCore> core) {
  if (soap == nullptr) return Invalid("no gSOAP context to attach the policy to");
  if (Of(soap) != nullptr) return Invalid("a transport policy is attached to this gSOAP context already");
  if (soap_register_plugin_arg(soap, &PolicyHooks::Create, &core) != SOAP_OK) {
    return Status(ErrorKind::kInvalidArgument, "cannot attach the transport policy to the gSOAP context");
  }
  return Status();
}

PolicyContext* PolicyContext::Of(struct soap* soap) {
  for (struct soap_plugin* p = soap->plugins; p != nullptr; p = p->next) {
    if (p->id == kPluginId) return static_cast<PolicyContext*>(p->data);
  }
  return nullptr;
}

void PolicyContext::Install() {
  struct soap* soap = soap_;
  post_header_ = soap->fposthdr;
  soap->fconnect = &PolicyHooks::Connect;
  soap->fopen = &PolicyHooks::RefuseOpen;
  soap->fclose = &PolicyHooks::Close;
  soap->fclosesocket = &PolicyHooks::CloseSocket;
  soap->fsend = &PolicyHooks::Send;
  soap->frecv = &PolicyHooks::Recv;
  soap->fposthdr = &PolicyHooks::PostHeader;
  soap->fpreparerecv = &PolicyHooks::PrepareRecv;
  soap->socket_flags = MSG_NOSIGNAL;
  const Options& o = core_->options();
  // gSOAP's own cap counts decompressed bytes too and reports an end of file; set above the
  // policy's limits (enforced in Recv and PrepareRecv), so that the error names the limit.
  soap->recv_maxlength = std::max(o.max_response_bytes, o.max_decompressed_bytes) + 2 * SOAP_BUFLEN;
  soap->maxlevel = o.max_xml_depth;
}

void PolicyContext::BeginCall(const CallSetup& setup) {
  BeginCallAt(setup.deadline, setup.operation, setup.version);
  explicit_call_ = true;
  call_secrets_ = setup.secrets;
  call_secret_count_ = setup.secret_count;
}

void PolicyContext::BeginOwnCall() {
  BeginCallAt(Clock::now() + core_->options().deadline, OperationInfo{},
              soap_->version == 1 ? SoapVersion::kSoap11 : SoapVersion::kSoap12);
}

void PolicyContext::BeginCallAt(Clock::time_point deadline, OperationInfo operation, SoapVersion version) {
  const Options& o = core_->options();
  in_call_ = true;
  CallFacts facts = core_->facts();
  facts.operation = operation.name;
  facts.soap_version = version;
  seen_.Reset(facts);
  result_element_ = operation.result_element;
  link_.deadline = deadline;
  link_.io_timeout = std::chrono::duration_cast<std::chrono::microseconds>(o.io_timeout);
  tracing_ = static_cast<bool>(o.trace);
  link_.trace = tracing_ ? &transport_trace_ : nullptr;
  buf_used_ = 0;
  decompressed_ = 0;
  sending_ = false;
  framer_.Reset();
  read_past_end_ = false;
}

void PolicyContext::AddSecret(std::string_view secret) {
  if (!secret.empty()) owned_secrets_.emplace_back(secret);
}

int PolicyContext::Connect(const char* endpoint) {
  struct soap* soap = soap_;
  // The endpoint, by the one strict parser, whoever passed it; refused before anything is
  // sent. The facade passes the policy's own endpoint, parsed once already, in its canonical
  // form, which gSOAP's reading (soap_set_endpoint, before this hook) takes apart the same way
  // (tests/unit/endpoint_test.cc); any other endpoint is parsed here, and what gSOAP writes
  // into the request line and the Host header becomes the parsed value.
  const Endpoint* parsed = nullptr;
  std::optional<Endpoint> own;
  const bool policy_endpoint = core_->endpoint() && endpoint == core_->endpoint_text().c_str();
  if (policy_endpoint) {
    parsed = &*core_->endpoint();
  } else {
    auto p = ParseEndpoint(endpoint != nullptr ? endpoint : "");
    if (!p.ok()) {
      seen_.endpoint_error = p.status().message();
      return soap->error = SOAP_TCP_ERROR;
    }
    parsed = &own.emplace(std::move(*p));
    soap_strcpy(soap->host, sizeof soap->host, parsed->host.c_str());
    soap->port = parsed->port;
    soap_strcpy(soap->path, sizeof soap->path, parsed->path_and_query.c_str());
    const std::string canonical = parsed->ToString();
    soap_strcpy(soap->endpoint, sizeof soap->endpoint, canonical.c_str());
    soap->userid = nullptr;
    soap->passwd = nullptr;
  }
  const Options& o = core_->options();
  const bool proxied = !o.proxy_host.empty();
  seen_.via_proxy = proxied;
  // http:// goes to the proxy with the full URL (gSOAP writes it, with Proxy-Authorization);
  // https:// through a CONNECT tunnel the policy opens itself.
  if (proxied && !parsed->https) {
    soap->proxy_host = o.proxy_host.c_str();
    soap->proxy_port = o.proxy_port;
    soap->proxy_userid = o.proxy_username.empty() ? nullptr : o.proxy_username.c_str();
    soap->proxy_passwd = o.proxy_username.empty() ? nullptr : o.proxy_password.Reveal().data();
  } else {
    soap->proxy_host = nullptr;
    soap->proxy_userid = nullptr;
    soap->proxy_passwd = nullptr;
  }
  const bool same_target =
      policy_endpoint ? connection_key_ == core_->endpoint_key() : connection_key_ == KeyOf(*parsed);
  if (link_.fd >= 0 && soap->socket == link_.fd && soap->keep_alive && same_target &&
      Clock::now() - last_used_ <= o.max_idle_time && !PeerClosedOrSpoke(link_.fd)) {
    return SOAP_OK;  // the pooled connection carries this request
  }
  // Too old, or the server closed it (ASMX does after 100 answers and when idle): a new one,
  // rather than a request written into a dead connection.
  Close();
  const int rc = Open(*parsed);
  if (rc != SOAP_OK) return soap->error = rc;
  connection_key_ = KeyOf(*parsed);
  soap->keep_alive = -((soap->omode & SOAP_IO_KEEPALIVE) != 0);
  return SOAP_OK;
}

int PolicyContext::Open(const Endpoint& target) {
  struct soap* soap = soap_;
  if (t_memory_transport != nullptr) {
    // A descriptor that stays unreadable, so that the connection is kept as an idle keep-alive
    // one is (its liveness poll() still runs).
    link_.fd = ::eventfd(0, EFD_CLOEXEC);
    if (link_.fd < 0) return SOAP_TCP_ERROR;
    soap->socket = link_.fd;
    return SOAP_OK;
  }
  const Options& o = core_->options();
  const bool proxied = !o.proxy_host.empty();
  link_.fd = TcpConnect(link_, proxied ? o.proxy_host : target.host, proxied ? o.proxy_port : target.port,
                        o.connect_timeout);
  if (link_.fd < 0) return SOAP_TCP_ERROR;
  soap->socket = link_.fd;
  if (target.https) {
    if (proxied && !ProxyConnect(link_, target, core_->user_agent(), core_->proxy_basic())) {
      Close();
      return seen_.proxy_status != 0 ? seen_.proxy_status : SOAP_TCP_ERROR;
    }
    TlsContext* tls = core_->Tls(seen_);
    if (tls == nullptr || !TlsHandshake(link_, *tls, target)) {
      seen_.tls_failed = true;
      Close();
      return SOAP_SSL_ERROR;
    }
    soap->ssl = link_.ssl;
  }
  return SOAP_OK;
}

void PolicyContext::Close() {
  if (link_.fd < 0 && link_.ssl == nullptr) return;
  CloseLink(link_);
  soap_->ssl = nullptr;
  soap_->socket = SOAP_INVALID_SOCKET;
  soap_->keep_alive = 0;
  connection_key_.clear();
}

std::size_t PolicyContext::RawRead(char* data, std::size_t n) {
  std::size_t r = 0;
  if (MemoryTransport* m = t_memory_transport) {
    r = std::min(n, m->response.size() - m->offset);
    std::memcpy(data, m->response.data() + m->offset, r);
    m->offset += r;
  } else if (link_.ssl != nullptr) {
    r = TlsReadSome(link_, data, n);
  } else {
    r = ReadSome(link_, data, n);
  }
  if (r == 0) {
    soap_->errnum = seen_.errnum;
    return 0;
  }
  seen_.bytes_received += r;
  NoteBuffer(data, r);
  if (seen_.bytes_received > core_->options().max_response_bytes) {
    seen_.response_too_large = true;
    return 0;
  }
  return r;
}

void PolicyContext::NoteBuffer(const char* data, std::size_t n) {
  if (data >= soap_->buf && data < soap_->buf + sizeof soap_->buf) {
    buf_used_ = std::max(buf_used_, static_cast<std::size_t>(data - soap_->buf) + n);
  }
}

void PolicyContext::TraceSegment(bool sent, std::string_view bytes, bool whole_message) {
  if (bytes.empty()) return;
  if (segments_.empty() || segments_.back().sent != sent || segments_.back().whole) {
    segments_.emplace_back();
    segments_.back().sent = sent;
  }
  segments_.back().bytes.append(bytes);
  segments_.back().whole = whole_message;
}

Redactor PolicyContext::MakeRedactor() const {
  Redactor redactor;
  for (std::size_t i = 0; i < call_secret_count_; ++i) redactor.Add(call_secrets_[i]);
  for (const auto& s : owned_secrets_) redactor.Add(s);
  core_->AddSecretsTo(redactor);
  return redactor;
}

// Which SOAP version the answer's envelope declared (its root element's namespace), for the
// message should the server answer in the other version: searched in gSOAP's buffer only when
// a call fails, where a short answer (the kind that mixes up versions) still is whole.
void PolicyContext::NoteEnvelopeVersion() {
  static constexpr std::string_view k11 = "http://schemas.xmlsoap.org/soap/envelope/";
  static constexpr std::string_view k12 = "http://www.w3.org/2003/05/soap-envelope";
  const std::string_view start(soap_->buf, std::min(buf_used_, sizeof soap_->buf));
  const std::size_t v11 = start.find(k11), v12 = start.find(k12);
  if (v11 != std::string_view::npos || v12 != std::string_view::npos) seen_.envelope_version_seen = v11 < v12 ? 1 : 2;
}

// The one place where gSOAP's fault texts are read: as ServerText, for the redactor.
void PolicyContext::CollectFault() {
  if (soap_->fault == nullptr) return;
  seen_.has_fault = true;
  const char** code = soap_faultcode(soap_);
  std::string text = code != nullptr && *code != nullptr ? *code : "";
  if (const char* sub = soap_fault_subcode(soap_); sub != nullptr && soap_->version == 2 && text != sub) {
    text += std::string(" / ") + sub;
  }
  seen_.fault_code = ServerText(text);
  WipeString(text);
  const char* string = soap_fault_string(soap_);
  seen_.fault_string = ServerText(string != nullptr ? string : "");
  const char* detail = soap_fault_detail(soap_);
  seen_.fault_detail = ServerText(detail != nullptr ? detail : "");
}

Status PolicyContext::EndCall(int rc, bool delivered) {
#ifdef WITH_ZLIB
  // gSOAP ends an inflating stream in soap_closesock() (or, after a complete answer, in
  // soap_end_recv), except when a MIME flag of the answer is set: found by the fuzzer, a failed
  // gzip answer with such headers leaked zlib's state. Closed here without the flag.
  if (soap_->zlib_state == SOAP_ZLIB_INFLATE) {
    soap_->mode &= ~SOAP_MIME_POSTCHECK;
    const int error = soap_->error;
    soap_closesock(soap_);
    soap_->error = error;
  }
#endif
  Status out;
  std::optional<Redactor> redactor;
  if (rc != SOAP_OK) {
    if (seen_.http_status == 0 && !framer_.in_head()) seen_.http_status = framer_.status();
    if (read_past_end_ && seen_.http_status != 0) seen_.body_ended_early = true;
    if (rc == SOAP_FAULT || rc == SOAP_CLI_FAULT || rc == SOAP_SVR_FAULT) CollectFault();
    NoteEnvelopeVersion();
    redactor.emplace(MakeRedactor());
    out = MapError(rc, seen_, *redactor);
  }
  // The connection carries the next request only after a successful call whose answer was
  // completely framed and consumed, with nothing after it.
  const bool reusable = rc == SOAP_OK && delivered && framer_.reusable() && !read_past_end_ && soap_->keep_alive != 0;
  if (!reusable) {
    Close();
  } else {
    last_used_ = Clock::now();
  }
  if (tracing_ && !segments_.empty()) {
    if (!redactor) redactor.emplace(MakeRedactor());
    for (const Segment& segment : segments_) {
      const SafeText shown = redactor->RedactHttp(segment.bytes);
      core_->options().trace(shown.str());
    }
  }
  WipeCall(rc != SOAP_OK || !delivered);
  in_call_ = false;
  explicit_call_ = false;
  return out;
}

void PolicyContext::WipeCall(bool whole_buffer) {
  for (Segment& segment : segments_) segment.bytes.Wipe();
  segments_.clear();
  seen_.xml_error.Clear();
  seen_.tls_verify_error.Clear();
  seen_.fault_code.Wipe();
  seen_.fault_string.Wipe();
  seen_.fault_detail.Wipe();
  for (auto& s : owned_secrets_) WipeString(s);
  owned_secrets_.clear();
  call_secrets_ = nullptr;
  call_secret_count_ = 0;
  // The send/receive buffer held the serialized request, secrets included: after a success
  // only the bytes the hooks saw pass through it, after a failure all of it.
  OPENSSL_cleanse(soap_->buf, whole_buffer ? sizeof soap_->buf : std::min(sizeof soap_->buf, buf_used_));
  OPENSSL_cleanse(soap_->msgbuf, sizeof soap_->msgbuf);
  // gSOAP formats "user:password" for the Proxy-Authorization header here.
  OPENSSL_cleanse(soap_->tmpbuf, sizeof soap_->tmpbuf);
  buf_used_ = 0;
}

}  // namespace brightoffice::internal
