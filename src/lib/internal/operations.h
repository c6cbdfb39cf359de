// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_INTERNAL_OPERATIONS_H
#define BRIGHTOFFICE_INTERNAL_OPERATIONS_H

// The operations the facade calls, each described once, and the one place where generated
// gSOAP types meet the facade's native types (in both directions: the client builds requests
// and reads results here; the mock reads requests and builds results here).
//
// An operation is a small declaration (its names, its generated request and response wrapper
// types, the proxy methods of its two bindings, its result member) over a request "shape": the
// customer-user shape below describes each field of CustomerInfo and UserInfo once (its name,
// whether it is a secret, where it lives natively and on the wire). Validation, the secrets the
// redactor hides, the library's wiped copies, the XML pre-check's "exactly one result" rule
// and the mock's view of a request all derive from these descriptions; Makefile.gsoap's
// default operation list (wsdl/operations.txt) is kept equal to kOperations by a unit test.
//
// Generated types are reached only through the members of the wrapper elements, whose names
// come from the help pages: the complex types' own names are not on the help page and may
// differ in the live WSDL. SuccessCode may be generated as std::string (Makefile.gsoap's type
// map) or as an enum (bindings generated without it); both compile.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "brightoffice/options.h"
#include "brightoffice/status.h"
#include "brightoffice/types.h"
#include "brightoffice_gsoapBrightOfficeAPISoapProxy.h"
#include "internal/operation.h"

namespace brightoffice::internal {

namespace wire {
using Proxy = ::brightoffice_gsoap::BrightOfficeAPISoapProxy;
}  // namespace wire

// ---------------------------------------------------------------------------------------------
// The customer-user shape: the request (CustomerInfo + UserInfo) and the flat result
// (SuccessCode, Message, ExceptionMessage, IsSystemError) that ConfirmCustomerUserMFA and
// CustomerUserSendResetPassword share (ASMX emits one complexType per .NET class).
namespace customer_user {

namespace wire {
using ConfirmRequest = ::brightoffice_gsoap::_tempuri__ConfirmCustomerUserMFA;
using Customer = std::remove_pointer_t<decltype(ConfirmRequest::CustomerInfo)>;
using User = std::remove_pointer_t<decltype(ConfirmRequest::UserInfo)>;
using Result =
    std::remove_pointer_t<decltype(::brightoffice_gsoap::_tempuri__ConfirmCustomerUserMFAResponse::ConfirmCustomerUserMFAResult)>;
using SuccessCode = std::remove_reference_t<decltype(std::declval<Result&>().SuccessCode)>;
}  // namespace wire

/// The request's text fields (Id, a guid that is always sent, is apart).
enum Field : std::size_t {
  kEmail,
  kPassword,
  kMfaCode,
  kTemporaryPassword,
  kNewPassword,
  kUsername,
  kApiPassword,
  kFieldCount
};

/// One text field, described once.
struct FieldInfo {
  std::string_view name;  ///< In messages and in the mock's view, e.g. "CustomerInfo.MFACode".
  bool secret;            ///< Redacted from every message and trace; the library's copies wiped.
  /// The native value; a view with a null data() when the field is not sent (an empty value
  /// that is sent has a non-null one). Not an optional: GCC evaluates an optional's payload
  /// ahead of its flag, which valgrind reports as a jump on an uninitialised value.
  std::string_view (*native)(const CustomerInfo&, const ApiCredentials&);
  std::string* wire::Customer::*customer;  ///< Its member in CustomerInfo (or null).
  std::string* wire::User::*user;          ///< Its member in UserInfo (or null).
};

/// Whether a FieldInfo::native view stands for a field that is sent.
constexpr bool Sent(std::string_view v) { return v.data() != nullptr; }
inline std::string_view Text(const std::optional<std::string>& s) { return s ? std::string_view(*s) : std::string_view(); }
inline std::string_view Text(const std::optional<Secret>& s) { return s ? s->Reveal() : std::string_view(); }

// clang-format off
inline const FieldInfo kFields[kFieldCount] = {
  {"CustomerInfo.Email", false, [](const CustomerInfo& c, const ApiCredentials&) { return Text(c.email); }, &wire::Customer::Email, nullptr},
  {"CustomerInfo.Password", true, [](const CustomerInfo& c, const ApiCredentials&) { return Text(c.password); }, &wire::Customer::Password, nullptr},
  {"CustomerInfo.MFACode", true, [](const CustomerInfo& c, const ApiCredentials&) { return Text(c.mfa_code); }, &wire::Customer::MFACode, nullptr},
  {"CustomerInfo.TemporaryPassword", true, [](const CustomerInfo& c, const ApiCredentials&) { return Text(c.temporary_password); }, &wire::Customer::TemporaryPassword, nullptr},
  {"CustomerInfo.NewPassword", true, [](const CustomerInfo& c, const ApiCredentials&) { return Text(c.new_password); }, &wire::Customer::NewPassword, nullptr},
  {"UserInfo.Username", false, [](const CustomerInfo&, const ApiCredentials& a) { return std::string_view(a.username); }, nullptr, &wire::User::Username},
  {"UserInfo.Password", true, [](const CustomerInfo&, const ApiCredentials& a) { return a.password.Reveal(); }, nullptr, &wire::User::Password},
};
// clang-format on

/// OK when every field that is sent is text XML can carry; kInvalidArgument naming the field
/// (never its text) otherwise. The UserInfo fields come from the credentials, which a
/// Connection checks once: per call, `credentials_too` is false.
Status Validate(const CustomerInfo& customer, const ApiCredentials& credentials, bool credentials_too = true);

/// Calls f(std::string_view) for each secret field that is sent.
template <typename F>
void ForEachSecret(const CustomerInfo& customer, const ApiCredentials& credentials, F&& f) {
  for (const FieldInfo& field : kFields) {
    if (!field.secret) continue;
    if (const std::string_view v = field.native(customer, credentials); Sent(v) && !v.empty()) f(v);
  }
}

/// Owns the generated request of an operation whose wrapper is `Wrapper` and everything it
/// points at; its copies of the secret fields are overwritten with zeros when it is destroyed.
template <typename Wrapper>
class RequestHolder {
 public:
  RequestHolder(const CustomerInfo& customer, const ApiCredentials& credentials) {
    for (std::size_t i = 0; i < kFieldCount; ++i) {
      const FieldInfo& field = kFields[i];
      const std::string_view value = field.native(customer, credentials);
      std::string* text = Sent(value) ? &copies_[i].emplace(value) : nullptr;
      if (field.customer) customer_.*field.customer = text;
      if (field.user) user_.*field.user = text;
    }
    customer_.Id = customer.id.ToString();
    request_.CustomerInfo = &customer_;
    request_.UserInfo = &user_;
  }
  ~RequestHolder() { WipeSecrets(copies_); }
  RequestHolder(const RequestHolder&) = delete;
  RequestHolder& operator=(const RequestHolder&) = delete;

  Wrapper* get() { return &request_; }

 private:
  static void WipeSecrets(std::array<std::optional<std::string>, kFieldCount>& copies) noexcept;
  std::array<std::optional<std::string>, kFieldCount> copies_;
  wire::Customer customer_;
  wire::User user_;
  Wrapper request_;
};

/// Reads a delivered result. kMalformedResponse when the result element is missing, its
/// SuccessCode empty, or its text not what XML allows.
StatusOr<ServiceResult> ReadResult(const wire::Result* result, std::string_view result_element);

/// A request as the mock service sees it: every field, present or not, as text.
struct ReceivedRequest {
  bool has_customer_info = false;
  bool has_user_info = false;
  std::string id;           ///< As received ("" when the element carried no text).
  bool id_present = false;  ///< The Id element was there (set by the mock: gSOAP cannot tell).
  std::array<std::optional<std::string>, kFieldCount> fields;
  const std::optional<std::string>& operator[](Field f) const { return fields[f]; }
};

/// The mock's view of a generated request whose wrapper is `Wrapper`.
template <typename Wrapper>
ReceivedRequest Receive(const Wrapper& request) {
  ReceivedRequest out;
  const wire::Customer* c = request.CustomerInfo;
  const wire::User* u = request.UserInfo;
  out.has_customer_info = c != nullptr;
  out.has_user_info = u != nullptr;
  if (c) out.id = c->Id;
  for (std::size_t i = 0; i < kFieldCount; ++i) {
    const FieldInfo& field = kFields[i];
    const std::string* text = field.customer ? (c ? c->*field.customer : nullptr) : (u ? u->*field.user : nullptr);
    if (text) out.fields[i] = *text;
  }
  return out;
}

/// Owns a generated result built from a native one (for the mock service).
class ResultHolder {
 public:
  explicit ResultHolder(const ServiceResult& result);
  ResultHolder(const ResultHolder&) = delete;
  ResultHolder& operator=(const ResultHolder&) = delete;
  wire::Result* get() { return &result_; }

 private:
  std::optional<std::string> message_, exception_message_;
  wire::Result result_;
};

}  // namespace customer_user

// ---------------------------------------------------------------------------------------------
// The operations.

/// The proxy method of one binding of an operation: (endpoint, SOAPAction, request, response).
template <typename Request, typename Response>
using ProxyMethod = int (wire::Proxy::*)(const char*, const char*, Request*, Response&);

/// ConfirmCustomerUserMFA: confirms a customer user's MFA code, optionally setting a new password.
struct ConfirmCustomerUserMfaOp {
  static constexpr OperationInfo kInfo = {"ConfirmCustomerUserMFA", "http://tempuri.org/ConfirmCustomerUserMFA",
                                          "ConfirmCustomerUserMFAResult"};
  using Request = ::brightoffice_gsoap::_tempuri__ConfirmCustomerUserMFA;
  using Response = ::brightoffice_gsoap::_tempuri__ConfirmCustomerUserMFAResponse;
  static constexpr ProxyMethod<Request, Response> kSoap11 = &wire::Proxy::ConfirmCustomerUserMFA;
  static constexpr ProxyMethod<Request, Response> kSoap12 = &wire::Proxy::ConfirmCustomerUserMFA_;
  static constexpr auto kResult = &Response::ConfirmCustomerUserMFAResult;
};

/// CustomerUserSendResetPassword: asks the service to e-mail a password reset to a customer user.
struct CustomerUserSendResetPasswordOp {
  static constexpr OperationInfo kInfo = {"CustomerUserSendResetPassword",
                                          "http://tempuri.org/CustomerUserSendResetPassword",
                                          "CustomerUserSendResetPasswordResult"};
  using Request = ::brightoffice_gsoap::_tempuri__CustomerUserSendResetPassword;
  using Response = ::brightoffice_gsoap::_tempuri__CustomerUserSendResetPasswordResponse;
  static constexpr ProxyMethod<Request, Response> kSoap11 = &wire::Proxy::CustomerUserSendResetPassword;
  static constexpr ProxyMethod<Request, Response> kSoap12 = &wire::Proxy::CustomerUserSendResetPassword_;
  static constexpr auto kResult = &Response::CustomerUserSendResetPasswordResult;
};

// Each operation here is of the customer-user shape: its generated types are the shape's.
template <typename Op>
inline constexpr bool kOfCustomerUserShape =
    std::is_same_v<std::remove_pointer_t<decltype(Op::Request::CustomerInfo)>, customer_user::wire::Customer> &&
    std::is_same_v<std::remove_pointer_t<decltype(Op::Request::UserInfo)>, customer_user::wire::User> &&
    std::is_same_v<std::remove_cv_t<std::remove_reference_t<decltype(*(std::declval<typename Op::Response&>().*Op::kResult))>>,
                   customer_user::wire::Result>;
static_assert(kOfCustomerUserShape<ConfirmCustomerUserMfaOp> && kOfCustomerUserShape<CustomerUserSendResetPasswordOp>);

/// Sends `Op`'s request over the binding of SOAP version `v` and reads its response.
template <typename Op>
int Send(wire::Proxy& proxy, const char* endpoint, SoapVersion v, typename Op::Request* request,
         typename Op::Response& response) {
  return (proxy.*(v == SoapVersion::kSoap11 ? Op::kSoap11 : Op::kSoap12))(endpoint, Op::kInfo.soap_action.data(),
                                                                          request, response);
}

/// The result member of `Op`'s response.
template <typename Op>
customer_user::wire::Result*& ResultOf(typename Op::Response& response) {
  return response.*Op::kResult;
}

/// Every operation the facade calls (Makefile.gsoap's default OPERATIONS: wsdl/operations.txt).
inline constexpr OperationInfo kOperations[] = {ConfirmCustomerUserMfaOp::kInfo,
                                                CustomerUserSendResetPasswordOp::kInfo};

}  // namespace brightoffice::internal

#endif  // BRIGHTOFFICE_INTERNAL_OPERATIONS_H
