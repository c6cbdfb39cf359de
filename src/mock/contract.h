// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_MOCK_CONTRACT_H
#define BRIGHTOFFICE_MOCK_CONTRACT_H

// How the mock answers: the user's fixtures first, then the test contract's rows in order.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "brightoffice/guid.h"
#include "brightoffice/status.h"
#include "brightoffice/types.h"
#include "internal/operation.h"
#include "internal/operations.h"

namespace brightoffice::mock {

struct Answer {
  enum class Kind { kResult, kFault };
  Kind kind = Kind::kResult;
  ServiceResult result;
  std::string fault_string;   ///< For kFault.
  bool sender_fault = false;  ///< soap:Client (Sender) instead of soap:Server (Receiver).
  std::chrono::milliseconds delay{0};
};

/// The operations a fixture may name in "operation": those the library describes
/// (internal::kOperations), by their WSDL names.
inline constexpr std::string_view kConfirmCustomerUserMfa = internal::ConfirmCustomerUserMfaOp::kInfo.name;
inline constexpr std::string_view kCustomerUserSendResetPassword = internal::CustomerUserSendResetPasswordOp::kInfo.name;

/// The longest "delayMs" a fixture may ask for: one hour.
inline constexpr long long kMaxFixtureDelayMs = 3600000;

/// One fixture: every field that is set must equal the request's for the answer to apply.
struct FixtureRule {
  std::optional<std::string> operation;  ///< One of the names above; absent: any operation.
  std::optional<std::string> email, mfa_code, username;
  std::optional<Guid> id;
  Answer answer;
};

/// Reads a fixtures file (a JSON array of rules; see README). Strict: an unknown key, a value
/// of the wrong type or out of range, a "match" that is not an object, an "id" that is not a
/// guid, an unknown "operation", a key given twice, "result" and "fault" together or neither
/// are kInvalidArgument, with a message naming the entry (its index, from 0) and the key, and
/// never quoting a value.
StatusOr<std::vector<FixtureRule>> LoadFixtures(const std::string& path);

/// The answer to a request for `operation` (e.g. kConfirmCustomerUserMfa): the first fixture
/// that matches it, else the test contract's rows (the operation's own last rows).
Answer Decide(std::string_view operation, const internal::customer_user::ReceivedRequest& request,
              const std::vector<FixtureRule>& fixtures);

}  // namespace brightoffice::mock

#endif  // BRIGHTOFFICE_MOCK_CONTRACT_H
