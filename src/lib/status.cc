// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#include "brightoffice/status.h"

namespace brightoffice {

std::string_view ToString(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::kOk: return "ok";
    case ErrorKind::kInvalidArgument: return "invalid_argument";
    case ErrorKind::kConnection: return "connection";
    case ErrorKind::kTls: return "tls";
    case ErrorKind::kTimeout: return "timeout";
    case ErrorKind::kHttpStatus: return "http_status";
    case ErrorKind::kSoapFault: return "soap_fault";
    case ErrorKind::kMalformedResponse: return "malformed_response";
    case ErrorKind::kUnimplemented: return "unimplemented";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  return std::string(brightoffice::ToString(kind_)) + ": " + message_;
}

}  // namespace brightoffice
