// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// What an application's own unit tests use (public API only): Connection's default method
// bodies and brightoffice::testing::FakeConnection behind a Client.
#include <doctest/doctest.h>

#include <memory>
#include <thread>
#include <vector>

#include "brightoffice/client.h"
#include "brightoffice/testing/fake_connection.h"

using namespace brightoffice;
using brightoffice::testing::FakeConnection;

namespace {

// A test double written when the library had one operation: it still compiles and the
// operations it does not override say so.
class OldDouble : public Connection {
 public:
  StatusOr<ServiceResult> ConfirmCustomerUserMfa(const CustomerInfo&) override {
    return FakeConnection::Result(SuccessCode::kSuccess, "confirmed");
  }
};

}  // namespace

TEST_CASE("Connection's default bodies answer unimplemented") {
  Client client(std::make_shared<OldDouble>());
  CHECK(client.ConfirmCustomerUserMfa(CustomerInfo{})->succeeded());
  auto r = client.CustomerUserSendResetPassword(CustomerInfo{});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().kind() == ErrorKind::kUnimplemented);
  CHECK(r.status().message().find("CustomerUserSendResetPassword") != std::string::npos);
  CHECK_FALSE(r.status().request_may_have_been_sent());
}

TEST_CASE("FakeConnection: queued answers first, then the handler; every call recorded") {
  auto fake = std::make_shared<FakeConnection>();
  Client client(fake);
  CustomerInfo jane;
  jane.email = "jane@example.com";
  jane.mfa_code = Secret("123456");

  auto none = client.ConfirmCustomerUserMfa(jane);
  REQUIRE_FALSE(none.ok());
  CHECK(none.status().kind() == ErrorKind::kUnimplemented);

  fake->QueueConfirmCustomerUserMfa(Status(ErrorKind::kTimeout, "slow"));
  fake->QueueConfirmCustomerUserMfa(FakeConnection::Result(SuccessCode::kOther, "Invalid MFA code"));
  fake->OnConfirmCustomerUserMfa([](const CustomerInfo& c) -> StatusOr<ServiceResult> {
    if (c.mfa_code && c.mfa_code->Reveal() == "123456") return FakeConnection::Result(SuccessCode::kSuccess);
    return FakeConnection::Result(SuccessCode::kOther);
  });
  fake->OnCustomerUserSendResetPassword(
      [](const CustomerInfo&) { return FakeConnection::Result(SuccessCode::kSuccess, "Reset password sent"); });

  CHECK(client.ConfirmCustomerUserMfa(jane).status().kind() == ErrorKind::kTimeout);
  auto other = client.ConfirmCustomerUserMfa(jane);
  REQUIRE(other.ok());
  CHECK(other->code == SuccessCode::kOther);
  CHECK(other->raw_code == "OTHER");
  CHECK(client.ConfirmCustomerUserMfa(jane)->succeeded());
  auto reset = client.CustomerUserSendResetPassword(jane);
  REQUIRE(reset.ok());
  CHECK(reset->message == std::optional<std::string>("Reset password sent"));

  const auto calls = fake->calls();
  REQUIRE(calls.size() == 5);
  CHECK(calls[0].operation == "ConfirmCustomerUserMFA");
  CHECK(calls[4].operation == "CustomerUserSendResetPassword");
  CHECK(calls[4].customer.email == std::optional<std::string>("jane@example.com"));
  CHECK(calls[4].customer.mfa_code->Reveal() == "123456");
}

TEST_CASE("FakeConnection may be called from many threads") {
  auto fake = std::make_shared<FakeConnection>();
  fake->OnConfirmCustomerUserMfa([](const CustomerInfo&) { return FakeConnection::Result(SuccessCode::kSuccess); });
  Client client(fake);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([client] {
      for (int i = 0; i < 100; ++i) (void)client.ConfirmCustomerUserMfa(CustomerInfo{});
    });
  }
  for (auto& t : threads) t.join();
  CHECK(fake->calls().size() == 800);
}
