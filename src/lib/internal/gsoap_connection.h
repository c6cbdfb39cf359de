// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_INTERNAL_GSOAP_CONNECTION_H
#define BRIGHTOFFICE_INTERNAL_GSOAP_CONNECTION_H

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "brightoffice/options.h"
#include "brightoffice/status.h"
#include "internal/text.h"

struct soap;
struct Namespace;

namespace brightoffice::internal {

/// The generated proxy's namespace table (`generated`, the same for every caller) with only the
/// SOAP envelope and encoding of `version`: a context using it sends that version and accepts
/// only that version back. Built once; the generated table lists SOAP 1.2 first, so a proxy
/// left with it sends SOAP 1.2 from both of its methods.
const Namespace* NamespaceTable(const Namespace* generated, SoapVersion version);

/// What a call's transport hooks saw, for MapGsoapError.
struct CallTrace {
  bool deadline_expired = false;     ///< The overall deadline ran out.
  bool io_timed_out = false;         ///< A send or receive made no progress within its timeout.
  bool connect_timed_out = false;    ///< connect() did not complete within its timeout.
  bool request_may_be_sent = false;  ///< Some bytes of the request were written.
  bool response_too_large = false;   ///< More than Options::max_response_bytes arrived.
  bool decompressed_too_large = false;  ///< A compressed answer inflated past the limit.
  std::size_t bytes_decompressed = 0;   ///< Plain bytes of a compressed answer so far.
  std::string xml_error;  ///< Why XmlGuard refused the response body; empty when it did not.
  std::size_t bytes_received = 0;    ///< Bytes read so far in this call (headers included).
  /// Why OpenSSL rejected the server's certificate chain (its verify error text, the depth and
  /// subject of the certificate), empty when it did not.
  std::string tls_verify_error;
  /// Why the handshake failed: a TLS alert from the server, or OpenSSL's error ("OpenSSL:
  /// wrong version number"). Empty when it did not fail or the reason is unknown.
  std::string tls_library_error;
  std::chrono::milliseconds deadline{0};
  std::size_t max_response_bytes = 0;
  std::size_t max_decompressed_bytes = 0;
  unsigned max_xml_depth = 0;
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

/// The one function that turns a failed gSOAP call into a Status. Text from the server (fault
/// strings, details) passes through `redactor`.
Status MapGsoapError(struct soap* soap, const CallTrace& trace, const Redactor& redactor);

}  // namespace brightoffice::internal

#endif  // BRIGHTOFFICE_INTERNAL_GSOAP_CONNECTION_H
