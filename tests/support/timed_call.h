// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_TESTS_TIMED_CALL_H
#define BRIGHTOFFICE_TESTS_TIMED_CALL_H

// One timed call on a fresh Client, and the check that it ended with kTimeout at its deadline:
// not before it, and not later than the slack (0.5 s, times BRIGHTOFFICE_TIME_SCALE under
// valgrind and the sanitizers). For doctest tests (integration_deadline_test,
// integration_loop_deadline_test).

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <utility>

#include "brightoffice/client.h"
#include "time_scale.h"

namespace brightoffice::tests {

/// How late past its deadline (or connect timeout) a call may end.
inline std::chrono::milliseconds DeadlineSlack() { return std::chrono::milliseconds(500) * TimeScale(); }

struct TimedCall {
  StatusOr<ServiceResult> result = Status(ErrorKind::kMalformedResponse, "not called");
  std::chrono::milliseconds elapsed{0};
};

/// ConfirmCustomerUserMfa on a new Client made from `o` (credentials api-user / api-secret, MFA
/// code 123456), timed.
inline TimedCall CallTimed(const Options& o, std::string email = "jane@example.com") {
  auto client = Client::Create(o, {"api-user", Secret("api-secret")});
  REQUIRE(client.ok());
  CustomerInfo c;
  c.email = std::move(email);
  c.mfa_code = Secret("123456");
  TimedCall t;
  const auto start = std::chrono::steady_clock::now();
  t.result = client->ConfirmCustomerUserMfa(c);
  t.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  return t;
}

/// The call failed with kTimeout, its message holding `message_part`, after at least `limit`
/// (less 100 ms) and before `limit` + DeadlineSlack().
inline void CheckTimedOut(const TimedCall& t, std::chrono::milliseconds limit, const char* message_part) {
  INFO("elapsed " << t.elapsed.count() << " ms; " << t.result.status().ToString());
  REQUIRE_FALSE(t.result.ok());
  CHECK(t.result.status().kind() == ErrorKind::kTimeout);
  CHECK(t.result.status().message().find(message_part) != std::string::npos);
  CHECK(t.elapsed < limit + DeadlineSlack());
  CHECK(t.elapsed >= limit - std::chrono::milliseconds(100));
}

}  // namespace brightoffice::tests

#endif  // BRIGHTOFFICE_TESTS_TIMED_CALL_H
