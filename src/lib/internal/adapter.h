// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_INTERNAL_ADAPTER_H
#define BRIGHTOFFICE_INTERNAL_ADAPTER_H

// TRANSITIONAL: the mock's former view of ConfirmCustomerUserMFA requests, now a thin layer over
// the operation descriptions (internal/operations.h). Removed once the mock derives its view
// from the descriptions directly.

#include <optional>
#include <string>

#include "internal/operations.h"

namespace brightoffice::internal {

namespace wire {
using Request = ConfirmCustomerUserMfaOp::Request;
using Response = ConfirmCustomerUserMfaOp::Response;
}  // namespace wire

/// A request as the mock service sees it: every element, present or not, as text.
struct ReceivedRequest {
  bool has_customer_info = false;
  std::string id;
  bool id_present = false;
  std::optional<std::string> email, password, mfa_code, temporary_password, new_password;
  bool has_user_info = false;
  std::optional<std::string> username, api_password;
};

inline ReceivedRequest FromWire(const wire::Request& request) {
  using customer_user::kApiPassword, customer_user::kEmail, customer_user::kMfaCode, customer_user::kNewPassword,
      customer_user::kPassword, customer_user::kTemporaryPassword, customer_user::kUsername;
  const customer_user::ReceivedRequest r = customer_user::Receive(request);
  internal::ReceivedRequest out;
  out.has_customer_info = r.has_customer_info;
  out.has_user_info = r.has_user_info;
  out.id = r.id;
  out.email = r[kEmail];
  out.password = r[kPassword];
  out.mfa_code = r[kMfaCode];
  out.temporary_password = r[kTemporaryPassword];
  out.new_password = r[kNewPassword];
  out.username = r[kUsername];
  out.api_password = r[kApiPassword];
  return out;
}

/// Owns a generated response built from a native result (for the mock service).
class ResponseHolder {
 public:
  explicit ResponseHolder(const ServiceResult& result) : result_(result) {}
  void CopyTo(wire::Response& out) { out.ConfirmCustomerUserMFAResult = result_.get(); }

 private:
  customer_user::ResultHolder result_;
};

}  // namespace brightoffice::internal

#endif  // BRIGHTOFFICE_INTERNAL_ADAPTER_H
