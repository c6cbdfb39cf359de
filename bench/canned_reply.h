// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_BENCH_CANNED_REPLY_H
#define BRIGHTOFFICE_BENCH_CANNED_REPLY_H

// The fixed messages the benchmarks exchange: the request every client sends (the help page's
// SOAP 1.1 example filled in with the mock's SUCCESS credentials) and the reply the canned
// server gives (what an ASMX server answers, byte for byte in layout).

#include <string>

namespace brightoffice::bench {

inline const char kPath[] = "/Webservices/BrightOfficeAPI.asmx";
inline const char kEmail[] = "jane@example.com";
inline const char kMfaCode[] = "123456";
inline const char kApiUser[] = "api-user";
inline const char kApiPassword[] = "api-secret";

inline std::string CannedResponseBody() {
  return "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
         "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
         "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"><soap:Body>"
         "<ConfirmCustomerUserMFAResponse xmlns=\"http://tempuri.org/\">"
         "<ConfirmCustomerUserMFAResult><SuccessCode>SUCCESS</SuccessCode>"
         "<Message>MFA confirmed for jane@example.com (00000000-0000-0000-0000-000000000000) "
         "newpw=no tmppw=no</Message><ExceptionMessage /><IsSystemError>false</IsSystemError>"
         "</ConfirmCustomerUserMFAResult></ConfirmCustomerUserMFAResponse></soap:Body></soap:Envelope>";
}

inline std::string CannedHttpReply() {
  const std::string body = CannedResponseBody();
  return "HTTP/1.1 200 OK\r\nCache-Control: private, max-age=0\r\n"
         "Content-Type: text/xml; charset=utf-8\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

inline std::string RequestBody() {
  return std::string(
             "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
             "<soap:Envelope xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
             "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
             "xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
             "<ConfirmCustomerUserMFA xmlns=\"http://tempuri.org/\"><CustomerInfo>"
             "<Id>00000000-0000-0000-0000-000000000000</Id><Email>") +
         kEmail + "</Email><MFACode>" + kMfaCode + "</MFACode></CustomerInfo><UserInfo><Username>" +
         kApiUser + "</Username><Password>" + kApiPassword +
         "</Password></UserInfo></ConfirmCustomerUserMFA></soap:Body></soap:Envelope>";
}

/// The whole HTTP request a raw-socket client writes (keep_alive=false adds Connection: close).
inline std::string RequestHttp(const std::string& host_port, bool keep_alive) {
  const std::string body = RequestBody();
  return std::string("POST ") + kPath + " HTTP/1.1\r\nHost: " + host_port +
         "\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nSOAPAction: \"http://tempuri.org/ConfirmCustomerUserMFA\"\r\n" +
         (keep_alive ? "" : "Connection: close\r\n") + "\r\n" + body;
}

}  // namespace brightoffice::bench

#endif  // BRIGHTOFFICE_BENCH_CANNED_REPLY_H
