// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_INTERNAL_ADAPTER_H
#define BRIGHTOFFICE_INTERNAL_ADAPTER_H

// The one place where generated gSOAP types meet the facade's native types, in both
// directions: the client builds requests and reads responses here, and the mock service reads
// requests and builds responses here.
//
// Generated types are reached only through the members of the two wrapper elements
// (ConfirmCustomerUserMFA and ConfirmCustomerUserMFAResponse, whose names come from the help
// page): the complex types' own names are not on the help page and may differ in the live
// WSDL. SuccessCode may be generated as std::string (Makefile.gsoap's type map) or as an enum
// (bindings generated without it); both compile.

#include <optional>
#include <string>
#include <type_traits>

#include "brightoffice/status.h"
#include "brightoffice/types.h"
#include "brightoffice_gsoapH.h"

namespace brightoffice::internal {

namespace wire {
using Request = ::brightoffice_gsoap::_tempuri__ConfirmCustomerUserMFA;
using Response = ::brightoffice_gsoap::_tempuri__ConfirmCustomerUserMFAResponse;
using CustomerInfo = std::remove_pointer_t<decltype(Request::CustomerInfo)>;
using UserInfo = std::remove_pointer_t<decltype(Request::UserInfo)>;
using Result = std::remove_pointer_t<decltype(Response::ConfirmCustomerUserMFAResult)>;
using SuccessCode = std::remove_reference_t<decltype(std::declval<Result&>().SuccessCode)>;
}  // namespace wire

/// Owns a generated request and everything it points at. The copies of secrets it holds are
/// overwritten with zeros when it is destroyed.
class RequestHolder {
 public:
  RequestHolder(const CustomerInfo& customer, const ApiCredentials& credentials);
  ~RequestHolder();
  RequestHolder(const RequestHolder&) = delete;
  RequestHolder& operator=(const RequestHolder&) = delete;

  wire::Request* get() { return &request_; }

 private:
  wire::CustomerInfo customer_;
  wire::UserInfo user_;
  wire::Request request_;
  std::optional<std::string> email_, password_, mfa_code_, temporary_password_, new_password_;
  std::string username_, api_password_;
};

/// Reads a generated response. kMalformedResponse when the result element is missing.
StatusOr<ServiceResult> FromWire(const wire::Response& response);

/// A request as the mock service sees it: every element, present or not, as text.
struct ReceivedRequest {
  bool has_customer_info = false;
  std::string id;  ///< As received ("" when the element carried no text).
  bool id_present = false;  ///< The Id element was there (set by the mock: gSOAP cannot tell).
  std::optional<std::string> email, password, mfa_code, temporary_password, new_password;
  bool has_user_info = false;
  std::optional<std::string> username, api_password;
};
ReceivedRequest FromWire(const wire::Request& request);

/// Owns a generated response built from a native result (for the mock service).
class ResponseHolder {
 public:
  explicit ResponseHolder(const ServiceResult& result);
  ResponseHolder(const ResponseHolder&) = delete;
  ResponseHolder& operator=(const ResponseHolder&) = delete;
  void CopyTo(wire::Response& out) { out.ConfirmCustomerUserMFAResult = &result_; }

 private:
  std::optional<std::string> message_, exception_message_;
  wire::Result result_;
};

}  // namespace brightoffice::internal

#endif  // BRIGHTOFFICE_INTERNAL_ADAPTER_H
