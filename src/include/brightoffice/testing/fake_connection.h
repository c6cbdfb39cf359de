// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_TESTING_FAKE_CONNECTION_H
#define BRIGHTOFFICE_TESTING_FAKE_CONNECTION_H

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "brightoffice/connection.h"
#include "brightoffice/status.h"
#include "brightoffice/types.h"

namespace brightoffice::testing {

/// A programmable Connection for an application's own unit tests: no network, no gSOAP.
///
/// @code
///   auto fake = std::make_shared<brightoffice::testing::FakeConnection>();
///   fake->OnConfirmCustomerUserMfa([](const brightoffice::CustomerInfo& c) {
///     return brightoffice::testing::FakeConnection::Result(brightoffice::SuccessCode::kSuccess);
///   });
///   fake->QueueCustomerUserSendResetPassword(brightoffice::Status(brightoffice::ErrorKind::kTimeout, "slow"));
///   brightoffice::Client client(fake);   // the code under test takes a Client
///   ...
///   CHECK(fake->calls().size() == 2);
/// @endcode
///
/// Each operation answers from its queue of canned answers first (in order), then from its
/// handler; with neither, ErrorKind::kUnimplemented. Every request is recorded (secrets
/// included: it is a test tool).
///
/// Thread Safety: all members may be called from any thread.
class FakeConnection : public Connection {
 public:
  /// Answers one call of an operation from the request it received.
  using Handler = std::function<StatusOr<ServiceResult>(const CustomerInfo&)>;

  /// A recorded call.
  struct Call {
    std::string operation;  ///< "ConfirmCustomerUserMFA" or "CustomerUserSendResetPassword".
    CustomerInfo customer;  ///< The request as the code under test made it.
  };

  /// A delivered result with this code (its wire text in raw_code) and message.
  static ServiceResult Result(SuccessCode code, std::string message = {}) {
    ServiceResult r;
    r.code = code;
    r.raw_code = std::string(ToString(code));
    r.message = std::move(message);
    r.exception_message = std::string();
    return r;
  }

  /// Answers every ConfirmCustomerUserMfa call the queue does not.
  void OnConfirmCustomerUserMfa(Handler handler) { Set(kConfirm, std::move(handler)); }
  /// Answers every CustomerUserSendResetPassword call the queue does not.
  void OnCustomerUserSendResetPassword(Handler handler) { Set(kSendReset, std::move(handler)); }
  /// The answer to the next ConfirmCustomerUserMfa call not yet answered from the queue.
  void QueueConfirmCustomerUserMfa(StatusOr<ServiceResult> answer) { Queue(kConfirm, std::move(answer)); }
  /// The answer to the next CustomerUserSendResetPassword call not yet answered from the queue.
  void QueueCustomerUserSendResetPassword(StatusOr<ServiceResult> answer) { Queue(kSendReset, std::move(answer)); }

  /// Every call so far, in order.
  std::vector<Call> calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }

  StatusOr<ServiceResult> ConfirmCustomerUserMfa(const CustomerInfo& customer) override {
    return Answer(kConfirm, customer);
  }
  StatusOr<ServiceResult> CustomerUserSendResetPassword(const CustomerInfo& customer) override {
    return Answer(kSendReset, customer);
  }

 private:
  enum Op : std::size_t { kConfirm, kSendReset, kOpCount };
  static constexpr std::string_view kNames[kOpCount] = {"ConfirmCustomerUserMFA", "CustomerUserSendResetPassword"};

  void Set(Op op, Handler handler) {
    std::lock_guard<std::mutex> lock(mu_);
    handlers_[op] = std::move(handler);
  }
  void Queue(Op op, StatusOr<ServiceResult> answer) {
    std::lock_guard<std::mutex> lock(mu_);
    queued_[op].push_back(std::move(answer));
  }
  StatusOr<ServiceResult> Answer(Op op, const CustomerInfo& customer) {
    Handler handler;
    {
      std::lock_guard<std::mutex> lock(mu_);
      calls_.push_back(Call{std::string(kNames[op]), customer});
      if (!queued_[op].empty()) {
        StatusOr<ServiceResult> answer = std::move(queued_[op].front());
        queued_[op].pop_front();
        return answer;
      }
      handler = handlers_[op];
    }
    if (handler) return handler(customer);
    return Status(ErrorKind::kUnimplemented,
                  "FakeConnection: no answer programmed for " + std::string(kNames[op]));
  }

  mutable std::mutex mu_;
  Handler handlers_[kOpCount];
  std::deque<StatusOr<ServiceResult>> queued_[kOpCount];
  std::vector<Call> calls_;
};

}  // namespace brightoffice::testing

#endif  // BRIGHTOFFICE_TESTING_FAKE_CONNECTION_H
