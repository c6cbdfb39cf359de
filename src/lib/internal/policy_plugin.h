// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_INTERNAL_POLICY_PLUGIN_H
#define BRIGHTOFFICE_INTERNAL_POLICY_PLUGIN_H

// The transport policy as a gSOAP plugin (soap_register_plugin): attached to any struct soap,
// the facade's pooled contexts and a gSOAP application's own proxies alike. It knows no
// operation by name. Per call it enforces the deadline and the timeouts (transport.h), the
// response limits and the XML pre-check, checks the endpoint with the strict parser, does TLS
// with one shared context, follows the answer's framing (skipping interim 1xx answers; pooling
// a connection only after a complete answer), records what the error mapper needs, writes the
// redacted trace, and wipes the buffers that held secrets.

#include <stdsoap2.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "brightoffice/options.h"
#include "brightoffice/status.h"
#include "internal/endpoint.h"
#include "internal/error_map.h"
#include "internal/http_framer.h"
#include "internal/operation.h"
#include "internal/text.h"
#include "internal/transport.h"
#include "internal/xml_guard.h"

namespace brightoffice::internal {

/// The longest duration an option may have.
inline constexpr std::chrono::hours kMaxDuration{24};

/// A transport policy's settings: the validated Options and what is derived from them once
/// (the canonical endpoint, the TLS context, the User-Agent, the proxy's Basic credentials).
/// Shared by every context the policy is attached to; immutable once made, but for the TLS
/// context made on first use and its session cache, both thread-safe.
class PolicyCore {
 public:
  /// Checks every option (kInvalidArgument naming it): the endpoint by the strict parser (it
  /// may be empty when !endpoint_required: a gSOAP application passes one per call),
  /// durations above zero and at most 24 hours, limits, header text without CR or LF, the
  /// proxy settings, and the CA file or folder when given.
  static StatusOr<std::shared_ptr<const PolicyCore>> Create(Options options, bool endpoint_required);
  ~PolicyCore();
  PolicyCore(const PolicyCore&) = delete;
  PolicyCore& operator=(const PolicyCore&) = delete;

  const Options& options() const { return options_; }
  /// The endpoint, parsed (nullopt when Options::endpoint is empty).
  const std::optional<Endpoint>& endpoint() const { return endpoint_; }
  /// The endpoint's canonical form, as handed to gSOAP.
  const std::string& endpoint_text() const { return endpoint_text_; }
  /// "scheme://host:port" of the endpoint: which connection it needs.
  const std::string& endpoint_key() const { return endpoint_key_; }
  const std::string& user_agent() const { return user_agent_; }
  /// base64 of "user:password" for a proxy's Basic authentication; empty without a proxy user.
  const std::string& proxy_basic() const { return proxy_basic_; }
  /// The shared TLS context, made on first use; null with why in `seen` when it cannot be made.
  TlsContext* Tls(Observations& seen) const;
  /// Adds the policy's own secrets (the proxy password and its Basic credentials).
  void AddSecretsTo(Redactor& redactor) const;
  /// What every call's observations start from (its limits).
  const CallFacts& facts() const { return facts_; }

 private:
  PolicyCore() = default;
  Options options_;
  std::optional<Endpoint> endpoint_;
  std::string endpoint_text_;
  std::string endpoint_key_;
  std::string user_agent_;
  std::string proxy_basic_;
  CallFacts facts_;
  mutable std::once_flag tls_once_;
  mutable std::shared_ptr<TlsContext> tls_;
  mutable std::string tls_error_;
};

/// What the facade tells the policy of a call before it makes it (a gSOAP application's call
/// starts when it connects, with the policy's deadline and no operation).
struct CallSetup {
  Clock::time_point deadline;
  OperationInfo operation;  ///< Its name and result element.
  SoapVersion version = SoapVersion::kSoap11;
  /// The request's secrets, valid until EndCall().
  const std::string_view* secrets = nullptr;
  std::size_t secret_count = 0;
};

/// The policy attached to one context: its connection and the state of its current call.
class PolicyContext {
 public:
  /// Attaches `core` to `soap` (once; attaching again replaces nothing and is OK). The
  /// context's transport hooks become the policy's.
  static Status Attach(struct soap* soap, std::shared_ptr<const PolicyCore> core);
  /// The policy attached to `soap`, or null.
  static PolicyContext* Of(struct soap* soap);

  /// The facade's call: its deadline (counted from the call's entry), operation and secrets.
  void BeginCall(const CallSetup& setup);
  /// A secret of the next (or current) call, redacted from its errors and trace, forgotten and
  /// wiped after it.
  void AddSecret(std::string_view secret);
  /// Ends the call that returned `rc` (delivered: the answer was read as the operation's
  /// result): its Status (OK when rc is SOAP_OK), the trace written, the buffers that held
  /// secrets wiped, and the connection closed unless the call succeeded and its answer was
  /// completely framed and consumed.
  Status EndCall(int rc, bool delivered);
  /// Whether a call is under way (begun, not yet ended).
  bool in_call() const { return in_call_; }
  /// Starts a call with the policy's own deadline (a gSOAP application's call).
  void BeginOwnCall();

  ~PolicyContext();

 private:
  friend struct PolicyHooks;
  PolicyContext(struct soap* soap, std::shared_ptr<const PolicyCore> core);
  void Install();
  void BeginCallAt(Clock::time_point deadline, OperationInfo operation, SoapVersion version);
  int Connect(const char* endpoint);
  int Open(const Endpoint& target);
  void Close();
  std::size_t RawRead(char* data, std::size_t n);
  void NoteBuffer(const char* data, std::size_t n);
  void TraceSegment(bool sent, std::string_view bytes, bool whole_message = false);
  Redactor MakeRedactor() const;
  void CollectFault();
  void NoteEnvelopeVersion();
  void WipeCall(bool whole_buffer);

  struct soap* soap_;
  std::shared_ptr<const PolicyCore> core_;
  int (*post_header_)(struct soap*, const char*, const char*) = nullptr;

  // The connection.
  Link link_;
  std::string connection_key_;  // scheme://authority of the open connection
  Clock::time_point last_used_;

  // The current call.
  bool in_call_ = false;
  Observations seen_;
  std::string_view result_element_;
  ResponseFramer framer_;
  bool read_past_end_ = false;  // gSOAP wanted more bytes than the answer's framing holds
  bool sending_ = false;        // the last I/O was a send (the next receive starts an answer)
  XmlGuard guard_;
  bool in_body_ = false;        // fpreparerecv: the answer's headers are over
  std::size_t final_head_ = 0;  // the length of the final answer's headers
  const std::string_view* call_secrets_ = nullptr;
  std::size_t call_secret_count_ = 0;
  std::vector<std::string> owned_secrets_;
  std::size_t buf_used_ = 0;
  std::size_t decompressed_ = 0;  // plain bytes of a compressed answer so far
  bool explicit_call_ = false;    // BeginCall() (the facade) rather than a gSOAP application's call
  // The trace: each HTTP message of the call in order (a proxy's CONNECT and its answer, the
  // request, interim answers, the answer). Secrets included: wiped after each call.
  struct Segment {
    bool sent = false;
    bool whole = false;  // a complete message: the next bytes start another
    ServerText bytes;
  };
  bool tracing_ = false;
  std::vector<Segment> segments_;
  std::function<void(bool, std::string_view)> transport_trace_;
};

/// Fuzzing and benchmarks only (no public API): while a call runs on a thread whose
/// t_memory_transport is set, it opens no network connection (an eventfd stands in for the
/// socket and is pooled like an idle keep-alive connection), discards what it sends and reads
/// `response` from `offset` as the server's answer. Everything else runs as over a socket.
struct MemoryTransport {
  std::string_view response;
  std::size_t offset = 0;
};
extern thread_local MemoryTransport* t_memory_transport;

}  // namespace brightoffice::internal

#endif  // BRIGHTOFFICE_INTERNAL_POLICY_PLUGIN_H
