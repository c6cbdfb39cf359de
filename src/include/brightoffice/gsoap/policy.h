// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_GSOAP_POLICY_H
#define BRIGHTOFFICE_GSOAP_POLICY_H

// For gSOAP applications: the library's transport policy on a struct soap of your own (any
// generated proxy's `soap`, the BrightOffice proxy or your own services'). This is the one
// public header that includes gSOAP: compile with gSOAP's flags
// (`pkg-config --cflags gsoapssl++`; they change the layout of struct soap).

#include <stdsoap2.h>

#include <memory>
#include <string_view>

#include "brightoffice/options.h"
#include "brightoffice/status.h"

namespace brightoffice {
namespace internal {
class PolicyCore;
}  // namespace internal

namespace gsoap {

/// The library's transport policy for any gSOAP client context: what a brightoffice::Client
/// does on every call, for your own generated proxies.
///
/// Attached to a context (a gSOAP plugin), it gives every call made on it:
/// - the Options' deadline (counted from the moment the call connects or reuses its
///   connection), connect timeout (per address, all addresses within the deadline) and I/O
///   timeout, enforced on every wait, including the TLS handshake and TLS records;
/// - the endpoint each call passes checked by the library's strict parser (see
///   Options::endpoint); a refused one is ErrorKind::kInvalidArgument and nothing is sent;
/// - TLS verified (system CAs plus ca_file / ca_dir, TLS 1.2 minimum, host name or IP checked,
///   SNI for host names), with one TLS context for every context the policy is attached to
///   (CAs loaded once, sessions resumed across them), and why a handshake failed;
/// - the response limits (max_response_bytes, max_decompressed_bytes, max_xml_depth) and the
///   XML pre-check; interim 1xx answers skipped; a connection kept for the next call only after
///   a complete, cleanly framed answer;
/// - no SIGPIPE from a connection the server closed (no signal mask either);
/// - the User-Agent, the HTTP proxy (a CONNECT tunnel for https), Options::trace with every
///   secret as `***`, and gSOAP's buffers wiped after each call.
///
/// Use:
/// @code
///   auto policy = brightoffice::gsoap::Policy::Create(options);   // options.endpoint may be ""
///   MyServiceProxy proxy(SOAP_C_UTFSTRING | SOAP_IO_KEEPALIVE);
///   policy->Attach(proxy.soap);                                     // once per context
///   policy->AddSecret(proxy.soap, password);                       // for the next call
///   int rc = proxy.MyOperation(endpoint, nullptr, &request, response);
///   brightoffice::Status status = policy->Check(proxy.soap, rc);   // after every call
///   if (!status.ok()) { ... status.kind(), status.message() ... }
///   proxy.destroy();
/// @endcode
///
/// The policy replaces the context's transport callbacks (fconnect, fopen, fclose,
/// fclosesocket, fsend, frecv, fposthdr, fpreparerecv) and its TLS set-up (a context's own
/// soap_ssl_client_context() is not used); a plugin that wraps those callbacks must be
/// registered after it. Call Check() after every call, before soap_destroy()/soap_end() (it
/// reads the fault the call received); a call never checked is finished (trace written,
/// buffers wiped) when the next call on the context starts. A context copied with soap_copy()
/// gets the policy too, with a connection and call state of its own. The policy's settings are
/// shared by the contexts it is attached to and live as long as the longest of them, so a
/// Policy object may be destroyed before them.
///
/// Thread Safety: a Policy is cheap to copy and may be used from many threads; each gSOAP
/// context is used by one thread at a time, as gSOAP requires.
class Policy {
 public:
  /// Validates `options` as MakeConnection() does (kInvalidArgument naming the option), except
  /// that `endpoint` may be empty: the endpoint each call passes is checked when it connects.
  static StatusOr<Policy> Create(Options options);

  /// Attaches the policy to `soap`. kInvalidArgument when `soap` is null or has a policy
  /// attached already.
  Status Attach(struct soap* soap) const;
  /// The typed outcome of the call just made on `soap` that returned `rc`: OK, or a failure of
  /// the same kinds as the facade's (ErrorKind), with request_may_have_been_sent(). Also ends
  /// the call: writes its trace, wipes its buffers and forgets its secrets, and closes the
  /// connection unless the call succeeded with a complete answer. kInvalidArgument when no
  /// policy is attached to `soap`.
  Status Check(struct soap* soap, int rc) const;
  /// A secret of the next call on `soap` (or of the current one): redacted from its errors and
  /// its trace in every form, forgotten and wiped after it (at Check()).
  void AddSecret(struct soap* soap, std::string_view secret) const;

 private:
  explicit Policy(std::shared_ptr<const internal::PolicyCore> core) : core_(std::move(core)) {}
  std::shared_ptr<const internal::PolicyCore> core_;
};

}  // namespace gsoap
}  // namespace brightoffice

#endif  // BRIGHTOFFICE_GSOAP_POLICY_H
