// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// MapError, the pure function from gSOAP's error code and the policy's observations to a
// Status: a table over every kind, no network and no gSOAP context.
#include <doctest/doctest.h>

#include <stdsoap2.h>

#include <cerrno>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "internal/error_map.h"

using namespace brightoffice;
using namespace brightoffice::internal;

namespace {

struct Row {
  const char* name;
  int error;
  std::function<void(Observations&)> seen;
  ErrorKind kind;
  const char* message;  // a part of the message
  bool sent;            // request_may_have_been_sent
  int http = 0;
};

Observations Base() {
  Observations o;
  o.operation = "ConfirmCustomerUserMFA";
  o.deadline = std::chrono::milliseconds(2500);
  o.connect_timeout = std::chrono::seconds(10);
  o.io_timeout = std::chrono::seconds(1);
  o.max_response_bytes = 1000;
  o.max_decompressed_bytes = 2000;
  o.max_xml_depth = 32;
  o.max_connections = 4;
  o.host = "crm.example.co.uk";
  return o;
}

const std::vector<Row>& Table() {
  static const std::vector<Row> rows = {
      {"endpoint refused", SOAP_TCP_ERROR, [](Observations& o) { o.endpoint_error = "the endpoint has no host"; },
       ErrorKind::kInvalidArgument, "the endpoint has no host", false},
      {"no free connection", SOAP_TCP_ERROR, [](Observations& o) { o.no_free_connection = true; }, ErrorKind::kTimeout,
       "no connection became free within the call's deadline of 2.5 s (all 4 of max_connections in use)", false},
      {"deadline", SOAP_EOF, [](Observations& o) { o.deadline_expired = true; o.request_sent = true; }, ErrorKind::kTimeout,
       "no complete response within the call's deadline of 2.5 s", true},
      {"deadline while connecting", SOAP_TCP_ERROR, [](Observations& o) { o.deadline_expired = true; }, ErrorKind::kTimeout,
       "deadline of 2.5 s", false},
      {"connect timeout", SOAP_TCP_ERROR, [](Observations& o) { o.connect_timed_out = true; o.connect_failed = true; },
       ErrorKind::kTimeout, "the connection to the server was not established within the connect timeout of 10 s", false},
      {"connect timeout to a proxy", SOAP_TCP_ERROR,
       [](Observations& o) { o.connect_timed_out = true; o.via_proxy = true; }, ErrorKind::kTimeout,
       "the connection to the proxy was not established", false},
      {"io timeout", SOAP_EOF, [](Observations& o) { o.io_timed_out = true; o.request_sent = true; }, ErrorKind::kTimeout,
       "the server stopped sending or receiving for longer than the I/O timeout of 1 s", true},
      {"proxy 407", 407, [](Observations& o) { o.proxy_status = 407; o.via_proxy = true; }, ErrorKind::kHttpStatus,
       "the proxy answered HTTP 407: proxy authentication required or refused", false, 407},
      {"proxy 502", 502, [](Observations& o) { o.proxy_status = 502; o.via_proxy = true; }, ErrorKind::kHttpStatus,
       "the proxy refused the tunnel to the server with HTTP 502", false, 502},
      {"proxy not HTTP", SOAP_TCP_ERROR, [](Observations& o) { o.proxy_bad_answer = true; }, ErrorKind::kConnection,
       "the proxy's answer to CONNECT is not an HTTP answer", false},
      {"tls setup", SOAP_SSL_ERROR, [](Observations& o) { o.tls_setup_error = "no such file"; o.tls_failed = true; },
       ErrorKind::kTls, "cannot set up TLS: no such file", false},
      {"tls verify", SOAP_SSL_ERROR,
       [](Observations& o) {
         o.tls_failed = true;
         o.tls_verify_error << SafeText("certificate has expired") << SafeText(" (certificate 0 of the chain: ")
                            << ServerText("/CN=localhost") << SafeText(")");
       },
       ErrorKind::kTls, "TLS failed: the server's certificate was not accepted: certificate has expired (certificate 0 of the chain: /CN=localhost)",
       false},
      {"tls host mismatch", SOAP_SSL_ERROR,
       [](Observations& o) {
         o.tls_failed = true;
         o.tls_host_mismatch = true;
         o.tls_verify_error << SafeText("hostname mismatch");
       },
       ErrorKind::kTls, "does not name the host 'crm.example.co.uk' of the endpoint (host name mismatch", false},
      {"tls alert", SOAP_SSL_ERROR, [](Observations& o) { o.tls_failed = true; o.tls_alert = "protocol version"; },
       ErrorKind::kTls, "the server sent the TLS alert \"protocol version\"", false},
      {"tls library", SOAP_SSL_ERROR, [](Observations& o) { o.tls_failed = true; o.tls_library_error = "wrong version number"; },
       ErrorKind::kTls, "OpenSSL: wrong version number", false},
      {"tls closed", SOAP_SSL_ERROR, [](Observations& o) { o.tls_failed = true; o.peer_closed = true; }, ErrorKind::kTls,
       "the server closed the connection", false},
      {"resolve", SOAP_TCP_ERROR, [](Observations& o) { o.resolve_error = "Name or service not known"; }, ErrorKind::kConnection,
       "cannot resolve the server's host name 'crm.example.co.uk': Name or service not known", false},
      {"refused", SOAP_TCP_ERROR, [](Observations& o) { o.connect_failed = true; o.errnum = ECONNREFUSED; },
       ErrorKind::kConnection, "cannot connect to the server: Connection refused", false},
      {"headers too large", SOAP_EOF, [](Observations& o) { o.headers_too_large = true; o.request_sent = true; },
       ErrorKind::kMalformedResponse, "HTTP headers are larger than 64 KiB", true},
      {"inflate limit", SOAP_EOM, [](Observations& o) { o.decompressed_too_large = true; o.request_sent = true; },
       ErrorKind::kMalformedResponse, "larger than the limit of max_decompressed_bytes (2000 bytes)", true},
      {"xml pre-check", SOAP_SYNTAX_ERROR,
       [](Observations& o) { o.xml_error << SafeText("the response contains a NUL byte"); o.request_sent = true; },
       ErrorKind::kMalformedResponse, "the response contains a NUL byte", true},
      {"depth", SOAP_LEVEL, [](Observations& o) { o.request_sent = true; }, ErrorKind::kMalformedResponse,
       "deeper than the limit of max_xml_depth (32 levels)", true},
      {"size", SOAP_EOF, [](Observations& o) { o.response_too_large = true; o.request_sent = true; },
       ErrorKind::kMalformedResponse, "larger than the limit of max_response_bytes (1000 bytes)", true},
      {"body ended early", SOAP_EOF, [](Observations& o) { o.body_ended_early = true; o.http_status = 200; o.request_sent = true; },
       ErrorKind::kMalformedResponse, "ended before its SOAP envelope did", true, 200},
      {"closed mid-answer", SOAP_EOF, [](Observations& o) { o.peer_closed = true; o.request_sent = true; },
       ErrorKind::kConnection, "the connection closed before a complete response arrived", true},
      {"reset", SOAP_EOF, [](Observations& o) { o.errnum = ECONNRESET; o.request_sent = true; }, ErrorKind::kConnection,
       "(Connection reset by peer)", true},
      {"fault", SOAP_FAULT,
       [](Observations& o) {
         o.has_fault = true;
         o.fault_code = ServerText("soap:Server");
         o.fault_string = ServerText("Server was unable to process request. ---> boom");
         o.http_status = 500;
         o.request_sent = true;
       },
       ErrorKind::kSoapFault, "the service answered with a SOAP fault: Server was unable to process request. ---> boom",
       true, 500},
      {"200 without SOAP", 200, [](Observations& o) { o.request_sent = true; }, ErrorKind::kMalformedResponse,
       "the server answered HTTP 200 without a ConfirmCustomerUserMFA answer in the body", true, 200},
      {"http 503", 503, [](Observations& o) { o.request_sent = true; }, ErrorKind::kHttpStatus, "the server answered HTTP 503",
       true, 503},
      {"redirect", 302, [](Observations& o) { o.request_sent = true; }, ErrorKind::kHttpStatus,
       "HTTP 302 (redirects are never followed", true, 302},
      {"407 from a proxy for http", 407, [](Observations& o) { o.via_proxy = true; o.request_sent = true; },
       ErrorKind::kHttpStatus, "the proxy answered HTTP 407", true, 407},
      {"SOAP 1.1 answer to 1.2", SOAP_TAG_MISMATCH,
       [](Observations& o) { o.soap_version = SoapVersion::kSoap12; o.envelope_version_seen = 1; o.request_sent = true; },
       ErrorKind::kMalformedResponse, "the server answered with a SOAP 1.1 envelope to a SOAP 1.2 request", true},
      {"SOAP 1.2 answer to 1.1", SOAP_VERSIONMISMATCH, [](Observations& o) { o.envelope_version_seen = 2; o.request_sent = true; },
       ErrorKind::kMalformedResponse, "the server answered with a SOAP 1.2 envelope to a SOAP 1.1 request", true},
      {"tag mismatch", SOAP_TAG_MISMATCH, [](Observations& o) { o.envelope_version_seen = 1; o.request_sent = true; },
       ErrorKind::kMalformedResponse,
       "the response is not a valid ConfirmCustomerUserMFA answer: it has an element other than the one the answer must have",
       true},
      {"a gSOAP application's call", SOAP_TYPE, [](Observations& o) { o.operation = {}; o.request_sent = true; },
       ErrorKind::kMalformedResponse, "the response is not a valid SOAP answer: it has a value that is not of its element's type",
       true},
      {"empty", SOAP_EMPTY, [](Observations& o) { o.request_sent = true; }, ErrorKind::kMalformedResponse,
       "an empty value where the WSDL requires one", true},
      {"utf", SOAP_UTF_ERROR, [](Observations& o) { o.request_sent = true; }, ErrorKind::kMalformedResponse,
       "text that is not valid UTF-8", true},
      {"out of memory", SOAP_EOM, [](Observations& o) { o.request_sent = true; }, ErrorKind::kMalformedResponse,
       "more data than the client could allocate memory for", true},
      {"unknown code", 4242, [](Observations& o) { o.request_sent = true; }, ErrorKind::kMalformedResponse,
       "content this client cannot read (internal error code 4242)", true},
  };
  return rows;
}

}  // namespace

TEST_CASE("every failure maps to its kind, in the caller's terms") {
  for (const Row& row : Table()) {
    CAPTURE(row.name);
    Observations seen = Base();
    row.seen(seen);
    const Status s = MapError(row.error, seen, Redactor());
    CAPTURE(s.ToString());
    CHECK(s.kind() == row.kind);
    CHECK(s.message().find(row.message) != std::string::npos);
    CHECK(s.request_may_have_been_sent() == row.sent);
    CHECK(s.http_status() == row.http);
    // Never gSOAP's own words.
    for (const char* jargon : {"SOAP_", "gSOAP error", "soap->", "errnum"}) CHECK(s.message().find(jargon) == std::string::npos);
  }
}

TEST_CASE("every gSOAP error code below 100 has a message of its own, none in gSOAP's terms") {
  // The codes the mapper puts in words (src/lib/error_map.cc: Unreadable() and the connection,
  // TLS and depth cases); any other code is named by its number.
  const std::set<int> named = {
      SOAP_TAG_MISMATCH, SOAP_TYPE,        SOAP_SYNTAX_ERROR, SOAP_NO_TAG,        SOAP_IOB,         SOAP_MUSTUNDERSTAND,
      SOAP_NAMESPACE,    SOAP_NO_METHOD,   SOAP_NO_DATA,      SOAP_EOM,           SOAP_MOE,         SOAP_HDR,
      SOAP_NULL,         SOAP_DUPLICATE_ID, SOAP_MISSING_ID,  SOAP_HREF,          SOAP_TCP_ERROR,   SOAP_HTTP_ERROR,
      SOAP_SSL_ERROR,    SOAP_ZLIB_ERROR,  SOAP_DIME_ERROR,   SOAP_DIME_HREF,     SOAP_DIME_MISMATCH, SOAP_DIME_END,
      SOAP_MIME_ERROR,   SOAP_MIME_HREF,   SOAP_MIME_END,     SOAP_VERSIONMISMATCH, SOAP_REQUIRED,  SOAP_PROHIBITED,
      SOAP_OCCURS,       SOAP_LENGTH,      SOAP_PATTERN,      SOAP_FD_EXCEEDED,   SOAP_UTF_ERROR,   SOAP_LEVEL,
      SOAP_FIXED,        SOAP_EMPTY,       SOAP_END_TAG};
  for (int error = 1; error < 100; ++error) {
    CAPTURE(error);
    Observations seen = Base();
    seen.request_sent = true;
    const Status s = MapError(error, seen, Redactor());
    CAPTURE(s.ToString());
    CHECK_FALSE(s.ok());
    CHECK(s.message().find("SOAP_") == std::string::npos);
    CHECK(s.message().find("gSOAP") == std::string::npos);
    if (named.count(error) != 0) {
      CHECK(s.message().find("internal error code") == std::string::npos);
    } else {
      CHECK(s.message().find("(internal error code " + std::to_string(error) + ")") != std::string::npos);
    }
  }
}

TEST_CASE("server text reaches the status only through the redactor") {
  Redactor redactor;
  redactor.Add("S3cr3t-MFA");
  redactor.Add("api-p&ss");
  Observations seen = Base();
  seen.has_fault = true;
  seen.fault_code = ServerText("soap:S3cr3t-MFA");
  seen.fault_string = ServerText("bad code &#x0000053;3cr3t-MFA and api-p&amp;ss");
  seen.fault_detail = ServerText("<d>S%33cr3t-MFA</d>");
  seen.request_sent = true;
  const Status fault = MapError(SOAP_FAULT, seen, redactor);
  CHECK(fault.kind() == ErrorKind::kSoapFault);
  for (const std::string& text : {fault.message(), fault.fault_code(), fault.fault_string(), fault.fault_detail()}) {
    CAPTURE(text);
    CHECK(text.find("S3cr3t") == std::string::npos);
    CHECK(text.find("3cr3t") == std::string::npos);
    CHECK(text.find("p&amp;ss") == std::string::npos);
    CHECK(text.find("***") != std::string::npos);
  }

  Observations tls = Base();
  tls.tls_failed = true;
  tls.tls_verify_error << SafeText("self-signed certificate (certificate 0 of the chain: ") << ServerText("/O=S3cr3t-MFA/CN=x")
                       << SafeText(")");
  const Status refused = MapError(SOAP_SSL_ERROR, tls, redactor);
  CHECK(refused.message().find("S3cr3t") == std::string::npos);
  CHECK(refused.message().find("/O=***/CN=x") != std::string::npos);

  Observations xml = Base();
  xml.xml_error << SafeText("the response refers to an entity that is not predefined (&") << ServerText("S3cr3t-MFA")
                << SafeText(";)");
  const Status entity = MapError(SOAP_SYNTAX_ERROR, xml, redactor);
  CHECK(entity.message().find("S3cr3t") == std::string::npos);
  CHECK(entity.message().find("(&***;)") != std::string::npos);
}
