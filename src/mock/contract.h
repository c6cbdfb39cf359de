// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_MOCK_CONTRACT_H
#define BRIGHTOFFICE_MOCK_CONTRACT_H

// How the mock answers: the user's fixtures first, then the test contract's rows in order.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "brightoffice/status.h"
#include "brightoffice/types.h"
#include "internal/adapter.h"

namespace brightoffice::mock {

struct Answer {
  enum class Kind { kResult, kFault };
  Kind kind = Kind::kResult;
  ServiceResult result;
  std::string fault_string;   ///< For kFault.
  bool sender_fault = false;  ///< soap:Client (Sender) instead of soap:Server (Receiver).
  std::chrono::milliseconds delay{0};
};

/// One fixture: every field that is set must equal the request's for the answer to apply.
struct FixtureRule {
  std::optional<std::string> email, mfa_code, username, id;
  Answer answer;
};

/// Reads a fixtures file (a JSON array of rules; see README). kInvalidArgument on any error.
StatusOr<std::vector<FixtureRule>> LoadFixtures(const std::string& path);

/// The answer to a ConfirmCustomerUserMFA request.
Answer Decide(const internal::ReceivedRequest& request, const std::vector<FixtureRule>& fixtures);

}  // namespace brightoffice::mock

#endif  // BRIGHTOFFICE_MOCK_CONTRACT_H
