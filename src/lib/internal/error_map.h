// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_INTERNAL_ERROR_MAP_H
#define BRIGHTOFFICE_INTERNAL_ERROR_MAP_H

// The one function that turns a failed call into a Status: a pure function of gSOAP's error
// code and what the transport policy observed during the call (no gSOAP context, no network),
// unit-tested by a table in tests/unit/error_map_test.cc.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "brightoffice/options.h"
#include "brightoffice/status.h"
#include "internal/text.h"

namespace brightoffice::internal {

/// What the transport policy saw during one call: its facts (flags, counters, limits), a plain
/// value that a call starts from a ready copy of, ...
struct CallFacts {
  // --- The call -------------------------------------------------------------------------
  std::string_view operation;  ///< e.g. "ConfirmCustomerUserMFA"; empty for a gSOAP application's call.
  SoapVersion soap_version = SoapVersion::kSoap11;  ///< The envelope version sent.

  // --- Time -----------------------------------------------------------------------------
  bool deadline_expired = false;   ///< The call's deadline ran out.
  bool io_timed_out = false;       ///< A send or receive made no progress within io_timeout.
  bool connect_timed_out = false;  ///< No address of the host accepted within connect_timeout.
  bool no_free_connection = false;  ///< max_connections were in use until the deadline.

  // --- The connection ----------------------------------------------------------------------
  int errnum = 0;                 ///< errno of the failed system call, 0 when none.
  bool connect_failed = false;    ///< No TCP connection to any address of the host (or proxy).
  bool via_proxy = false;         ///< The connection goes through Options::proxy_host.
  int proxy_status = 0;           ///< A proxy's non-2xx answer to CONNECT.
  bool proxy_bad_answer = false;  ///< A proxy's answer to CONNECT that is not HTTP.
  bool request_sent = false;      ///< Some bytes of the request were written.
  bool peer_closed = false;       ///< The server closed the connection (EOF) mid-call.

  // --- TLS -------------------------------------------------------------------------------
  bool tls_failed = false;         ///< The TLS handshake (or setting TLS up) failed.
  bool tls_host_mismatch = false;  ///< The certificate does not name the endpoint's host.

  // --- The response ---------------------------------------------------------------------
  int http_status = 0;               ///< The status of the final answer; 0 when none was read.
  std::size_t bytes_received = 0;    ///< Bytes read (headers included).
  bool response_too_large = false;   ///< More than max_response_bytes arrived.
  bool headers_too_large = false;    ///< The answer's headers did not fit gSOAP's buffer.
  bool decompressed_too_large = false;  ///< A compressed answer inflated past the limit.
  bool body_ended_early = false;     ///< The body ended (Content-Length, final chunk) before the envelope did.
  /// The SOAP envelope version the answer used, when its root element said (0: unknown).
  int envelope_version_seen = 0;
  bool has_fault = false;            ///< gSOAP parsed a SOAP fault (see Observations::fault_*).

  // --- The limits, for messages ------------------------------------------------------------
  std::chrono::milliseconds deadline{0};
  std::chrono::milliseconds connect_timeout{0};
  std::chrono::milliseconds io_timeout{0};
  std::size_t max_response_bytes = 0;
  std::size_t max_decompressed_bytes = 0;
  unsigned max_xml_depth = 0;
  std::size_t max_connections = 0;
};

/// ... and its texts. Text from the server is ServerText or a ServerMessage: it reaches the
/// Status only through the redactor.
struct Observations : CallFacts {
  /// Why the endpoint was refused before anything was sent (Trusted text); empty when it was not.
  std::string endpoint_error;
  std::string resolve_error;      ///< Why the host name did not resolve (gai_strerror), Trusted.
  std::string tls_setup_error;    ///< Why TLS could not be set up (CA file or folder), Trusted.
  /// Why OpenSSL rejected the certificate chain: its verify error, the depth and the subject of
  /// the certificate (server text).
  ServerMessage tls_verify_error;
  std::string host;               ///< The host that failed to resolve or to match the certificate.
  std::string tls_alert;          ///< A TLS alert the server sent (OpenSSL's fixed text).
  std::string tls_library_error;  ///< OpenSSL's reason for a failed handshake or read (fixed text).
  ServerMessage xml_error;        ///< Why the XML pre-check refused the body; empty when it did not.
  // A SOAP fault gSOAP parsed: its parts, as the server wrote them.
  ServerText fault_code;  ///< With a SOAP 1.2 subcode: "code / subcode".
  ServerText fault_string, fault_detail;

  /// Starts a call's observations from `facts`: every text emptied (server text wiped).
  void Reset(const CallFacts& facts) {
    static_cast<CallFacts&>(*this) = facts;
    for (std::string* text : {&endpoint_error, &resolve_error, &tls_setup_error, &host, &tls_alert, &tls_library_error}) {
      text->clear();
    }
    tls_verify_error.Clear();
    xml_error.Clear();
    fault_code.Wipe();
    fault_string.Wipe();
    fault_detail.Wipe();
  }
};

/// The Status of a call that failed with gSOAP error `error` (a SOAP_* code, an HTTP status,
/// or SOAP_EOF), given what the policy observed. Text from the server passes `redactor`. The
/// message says what went wrong in the caller's terms, never in gSOAP's; request_may_have_been_sent
/// is set from the observations.
Status MapError(int error, const Observations& seen, const Redactor& redactor);

}  // namespace brightoffice::internal

#endif  // BRIGHTOFFICE_INTERNAL_ERROR_MAP_H
