// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_TYPES_H
#define BRIGHTOFFICE_TYPES_H

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "brightoffice/guid.h"
#include "brightoffice/secret.h"

namespace brightoffice {

/// The customer user whose MFA code is confirmed (the CustomerInfo element).
///
/// An absent optional is not sent at all; an engaged but empty one is sent as an empty
/// element. All text must be valid UTF-8 made of characters XML 1.0 allows, or the call fails
/// with ErrorKind::kInvalidArgument before anything is sent. Cannot be streamed: it holds
/// secrets.
struct CustomerInfo {
  Guid id;                                    ///< Nil when unknown (ASMX rejects an empty Id).
  std::optional<std::string> email;           ///< Required by the service (PARAMETERERROR otherwise).
  std::optional<Secret> password;             ///< The customer's current password.
  std::optional<Secret> mfa_code;             ///< The single-use MFA code to confirm.
  std::optional<Secret> temporary_password;   ///< A temporary password, when one was issued.
  std::optional<Secret> new_password;         ///< Sets a new password in the same call.
};
std::ostream& operator<<(std::ostream&, const CustomerInfo&) = delete;

/// The API user the application authenticates as (the UserInfo element). Kept apart from
/// Options so that options can be logged and copied freely. Cannot be streamed.
struct ApiCredentials {
  std::string username;  ///< UserInfo/Username.
  Secret password;       ///< UserInfo/Password.
};
std::ostream& operator<<(std::ostream&, const ApiCredentials&) = delete;

/// The SuccessCode of a delivered answer. kUnknown stands for a code this client does not
/// know; ServiceResult::raw_code keeps its text.
enum class SuccessCode {
  kSuccess,         ///< SUCCESS: the code was confirmed (and any new password set).
  kSystemError,     ///< SYSTEMERROR: the service failed internally (see exception_message).
  kLoginError,      ///< LOGINERROR: the API credentials (UserInfo) were refused.
  kOther,           ///< OTHER: refused for another reason, e.g. a wrong MFA code.
  kMissingRecord,   ///< MISSINGRECORD: no such customer user.
  kParameterError,  ///< PARAMETERERROR: a required field was missing or invalid.
  kUnknown,         ///< A code this client does not know; ServiceResult::raw_code has its text.
};

/// The wire text of a known code ("SUCCESS", "SYSTEMERROR", ...); "UNKNOWN" for kUnknown.
std::string_view ToString(SuccessCode code) noexcept;
/// The code for a wire text; kUnknown for any text that is not one of the six known codes
/// (the comparison is exact, as the service's enumeration is).
SuccessCode ParseSuccessCode(std::string_view wire_text) noexcept;

/// A delivered answer (ConfirmCustomerUserMFAResult). A non-SUCCESS code is a result, not a
/// failure: the call worked and the service said no.
struct ServiceResult {
  SuccessCode code = SuccessCode::kUnknown;      ///< The SuccessCode, parsed (see raw_code).
  std::string raw_code;                          ///< The SuccessCode text as received.
  std::optional<std::string> message;            ///< Absent when the element was absent.
  std::optional<std::string> exception_message;  ///< Absent when the element was absent.
  bool is_system_error = false;                  ///< IsSystemError as received.

  /// True when the code is SUCCESS.
  bool succeeded() const noexcept { return code == SuccessCode::kSuccess; }
};

}  // namespace brightoffice

#endif  // BRIGHTOFFICE_TYPES_H
