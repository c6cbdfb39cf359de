// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#include "internal/error_map.h"

#include <stdsoap2.h>

#include <cstdio>
#include <cstring>

namespace brightoffice::internal {
namespace {

SafeText Seconds(std::chrono::milliseconds d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g s", static_cast<double>(d.count()) / 1000.0);
  return SafeText::Trusted(buf);
}

// A proxy's 407, to CONNECT (https://) or to the request itself (http:// through the proxy).
constexpr char kProxyAuthentication[] = "the proxy answered HTTP 407: proxy authentication required or refused";

SafeText Errno(int errnum) { return SafeText::Trusted(std::strerror(errnum)); }

Status Make(ErrorKind kind, SafeText message) { return Status(kind, std::move(message).take()); }

SafeText Version(SoapVersion v) { return v == SoapVersion::kSoap11 ? SafeText("1.1") : SafeText("1.2"); }

// What gSOAP's error codes for a response it could not read mean, in the caller's terms.
SafeText Unreadable(int error) {
  switch (error) {
    case SOAP_TAG_MISMATCH: return "an element other than the one the answer must have at that place";
    case SOAP_TYPE: return "a value that is not of its element's type (e.g. an IsSystemError that is not a boolean)";
    case SOAP_SYNTAX_ERROR: return "XML that is not well-formed";
    case SOAP_NO_TAG: return "no XML element where the SOAP envelope should begin";
    case SOAP_IOB: return "an array with more items than it declares";
    case SOAP_MUSTUNDERSTAND: return "a SOAP header marked mustUnderstand that this client does not understand";
    case SOAP_NAMESPACE: return "an element in a namespace the WSDL does not use";
    case SOAP_NO_METHOD: return "no body element this client expects";
    case SOAP_NO_DATA: return "an empty body";
    case SOAP_EOM: return "more data than the client could allocate memory for";
    case SOAP_MOE: return "more data than the client could allocate memory for";
    case SOAP_HDR: return "a malformed HTTP header or SOAP header";
    case SOAP_NULL: return "an element marked nil where a value is required";
    case SOAP_DUPLICATE_ID: return "two elements with the same id attribute";
    case SOAP_MISSING_ID: return "a reference (href) to an id that no element has";
    case SOAP_HREF: return "a reference (href) to an element of another type";
    case SOAP_HTTP_ERROR: return "an HTTP message this client cannot read";
    case SOAP_ZLIB_ERROR: return "a compressed body that does not inflate";
    case SOAP_DIME_ERROR:
    case SOAP_DIME_HREF:
    case SOAP_DIME_MISMATCH:
    case SOAP_DIME_END: return "a DIME attachment, which this service never sends";
    case SOAP_MIME_ERROR:
    case SOAP_MIME_HREF:
    case SOAP_MIME_END: return "a MIME attachment, which this service never sends";
    case SOAP_VERSIONMISMATCH: return "a SOAP envelope of another version or namespace";
    case SOAP_REQUIRED: return "a required element (e.g. SuccessCode or IsSystemError) missing";
    case SOAP_PROHIBITED: return "an element or attribute the WSDL prohibits";
    case SOAP_OCCURS: return "an element that occurs more or fewer times than the WSDL allows";
    case SOAP_LENGTH: return "a value longer or shorter than the WSDL allows";
    case SOAP_PATTERN: return "a value that does not match the pattern the WSDL requires";
    case SOAP_UTF_ERROR: return "text that is not valid UTF-8";
    case SOAP_FIXED: return "a value other than the fixed one the WSDL requires";
    case SOAP_EMPTY: return "an empty value where the WSDL requires one";
    case SOAP_END_TAG: return "an end tag that does not match its start tag";
    case SOAP_FD_EXCEEDED: return "more file descriptors than the process may open";
    default: break;
  }
  return SafeText("content this client cannot read (internal error code ") + SafeText::Number(error) + ")";
}

Status Classify(int error, const Observations& seen, const Redactor& redactor) {
  const int http = seen.http_status;
  if (!seen.endpoint_error.empty()) return Make(ErrorKind::kInvalidArgument, SafeText::Trusted(seen.endpoint_error));
  if (seen.no_free_connection) {
    return Make(ErrorKind::kTimeout, SafeText("no connection became free within the call's deadline of ") +
                                         Seconds(seen.deadline) + " (all " + SafeText::Number(static_cast<long long>(seen.max_connections)) +
                                         " of max_connections in use)");
  }
  if (seen.deadline_expired) {
    return Make(ErrorKind::kTimeout, SafeText("no complete response within the call's deadline of ") + Seconds(seen.deadline));
  }
  if (seen.connect_timed_out) {
    return Make(ErrorKind::kTimeout, SafeText("the connection to the ") + (seen.via_proxy ? SafeText("proxy") : SafeText("server")) +
                                         " was not established within the connect timeout of " +
                                         Seconds(seen.connect_timeout));
  }
  if (seen.io_timed_out) {
    return Make(ErrorKind::kTimeout, SafeText("the ") + (seen.via_proxy && !seen.request_sent ? SafeText("proxy") : SafeText("server")) +
                                         " stopped sending or receiving for longer than the I/O timeout of " +
                                         Seconds(seen.io_timeout));
  }
  if (seen.proxy_status != 0) {
    SafeText message = seen.proxy_status == 407 ? SafeText(kProxyAuthentication)
                                                : SafeText("the proxy refused the tunnel to the server with HTTP ") +
                                                      SafeText::Number(seen.proxy_status);
    return Make(ErrorKind::kHttpStatus, std::move(message)).set_http_status(seen.proxy_status);
  }
  if (seen.proxy_bad_answer) {
    return Make(ErrorKind::kConnection, "the proxy's answer to CONNECT is not an HTTP answer");
  }
  if (!seen.tls_setup_error.empty()) {
    return Make(ErrorKind::kTls, SafeText("cannot set up TLS: ") + SafeText::Trusted(seen.tls_setup_error));
  }
  if (seen.tls_failed || error == SOAP_SSL_ERROR) {
    if (seen.tls_host_mismatch) {
      return Make(ErrorKind::kTls, SafeText("TLS failed: the server's certificate does not name the host '") +
                                       SafeText::Trusted(seen.host) + "' of the endpoint (host name mismatch: " +
                                       redactor.Render(seen.tls_verify_error) + ")");
    }
    if (!seen.tls_verify_error.empty()) {
      return Make(ErrorKind::kTls, SafeText("TLS failed: the server's certificate was not accepted: ") +
                                       redactor.Render(seen.tls_verify_error));
    }
    SafeText why = "TLS failed: the handshake with the server did not complete";
    if (!seen.tls_alert.empty()) why += SafeText(": the server sent the TLS alert \"") + SafeText::Trusted(seen.tls_alert) + "\"";
    if (!seen.tls_library_error.empty()) why += SafeText(": OpenSSL: ") + SafeText::Trusted(seen.tls_library_error);
    if (seen.peer_closed) why += ": the server closed the connection";
    else if (seen.errnum != 0) why += SafeText(" (") + Errno(seen.errnum) + ")";
    return Make(ErrorKind::kTls, std::move(why));
  }
  if (!seen.resolve_error.empty()) {
    return Make(ErrorKind::kConnection, SafeText("cannot resolve the ") + (seen.via_proxy ? SafeText("proxy's") : SafeText("server's")) +
                                            " host name '" + SafeText::Trusted(seen.host) + "': " +
                                            SafeText::Trusted(seen.resolve_error));
  }
  if (seen.connect_failed || error == SOAP_TCP_ERROR) {
    return Make(ErrorKind::kConnection, SafeText("cannot connect to the ") + (seen.via_proxy ? SafeText("proxy") : SafeText("server")) +
                                            (seen.errnum != 0 ? SafeText(": ") + Errno(seen.errnum) : SafeText()));
  }
  if (seen.headers_too_large) {
    return Make(ErrorKind::kMalformedResponse, "the response's HTTP headers are larger than 64 KiB").set_http_status(http);
  }
  if (seen.decompressed_too_large) {
    return Make(ErrorKind::kMalformedResponse,
                SafeText("the decompressed response is larger than the limit of max_decompressed_bytes (") +
                    SafeText::Number(static_cast<long long>(seen.max_decompressed_bytes)) + " bytes)")
        .set_http_status(http);
  }
  if (!seen.xml_error.empty()) {
    return Make(ErrorKind::kMalformedResponse, redactor.Render(seen.xml_error)).set_http_status(http);
  }
  if (error == SOAP_LEVEL) {
    return Make(ErrorKind::kMalformedResponse, SafeText("the response nests XML deeper than the limit of max_xml_depth (") +
                                                   SafeText::Number(seen.max_xml_depth) + " levels)")
        .set_http_status(http);
  }
  if (seen.response_too_large) {
    return Make(ErrorKind::kMalformedResponse, SafeText("the response is larger than the limit of max_response_bytes (") +
                                                   SafeText::Number(static_cast<long long>(seen.max_response_bytes)) +
                                                   " bytes)")
        .set_http_status(http);
  }
  if (seen.body_ended_early) {
    return Make(ErrorKind::kMalformedResponse,
                "the response's body (as its Content-Length or chunks frame it) ended before its SOAP envelope did")
        .set_http_status(http);
  }
  if (error == SOAP_EOF) {
    SafeText message = "the connection closed before a complete response arrived";
    if (!seen.tls_library_error.empty()) message += SafeText(" (OpenSSL: ") + SafeText::Trusted(seen.tls_library_error) + ")";
    else if (seen.errnum != 0) message += SafeText(" (") + Errno(seen.errnum) + ")";
    return Make(ErrorKind::kConnection, std::move(message)).set_http_status(http);
  }
  const SafeText op = seen.operation.empty() ? SafeText("SOAP") : SafeText::Trusted(seen.operation);
  if (seen.has_fault && (error == SOAP_FAULT || error == SOAP_CLI_FAULT || error == SOAP_SVR_FAULT)) {
    SafeText code = redactor.Redact(seen.fault_code);
    SafeText string = redactor.Redact(seen.fault_string);
    SafeText detail = redactor.Redact(seen.fault_detail);
    Status s = Make(ErrorKind::kSoapFault,
                    SafeText("the service answered with a SOAP fault: ") + (string.empty() ? code : string));
    s.set_fault(std::move(code).take(), std::move(string).take(), std::move(detail).take());
    if (http != 0) s.set_http_status(http);
    return s;
  }
  if (error >= 200 && error < 300) {
    return Make(ErrorKind::kMalformedResponse, SafeText("the server answered HTTP ") + SafeText::Number(error) +
                                                   " without a " + op + " answer in the body")
        .set_http_status(error);
  }
  if ((error >= 100 && error < 600) || (http >= 300 && http < 600)) {
    const int status = (error >= 100 && error < 600) ? error : http;
    SafeText message = SafeText("the server answered HTTP ") + SafeText::Number(status);
    if (status == 407 && seen.via_proxy) message = kProxyAuthentication;
    if (status >= 300 && status < 400) message += " (redirects are never followed: a request is sent once)";
    return Make(ErrorKind::kHttpStatus, std::move(message)).set_http_status(status);
  }
  const int sent = seen.soap_version == SoapVersion::kSoap11 ? 1 : 2;
  if (seen.envelope_version_seen != 0 && seen.envelope_version_seen != sent) {
    const SoapVersion got = seen.envelope_version_seen == 1 ? SoapVersion::kSoap11 : SoapVersion::kSoap12;
    return Make(ErrorKind::kMalformedResponse, SafeText("the server answered with a SOAP ") + Version(got) +
                                                   " envelope to a SOAP " + Version(seen.soap_version) + " request")
        .set_http_status(http);
  }
  SafeText what = seen.has_fault ? SafeText("a SOAP fault this client cannot read") : Unreadable(error);
  return Make(ErrorKind::kMalformedResponse, SafeText("the response is not a valid ") + op + " answer: it has " + what)
      .set_http_status(http);
}

}  // namespace

Status MapError(int error, const Observations& seen, const Redactor& redactor) {
  Status s = Classify(error, seen, redactor);
  return s.set_request_may_have_been_sent(seen.request_sent);
}

}  // namespace brightoffice::internal
