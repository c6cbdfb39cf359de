// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// The operation descriptions (internal/operations.h): each field once, and everything that
// derives from them - the generated request, the mock's view, the secrets, validation, the
// result mapping - for every operation; and the list Makefile.gsoap generates by default.
#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "brightoffice/client.h"
#include "brightoffice/testing/fake_connection.h"
#include "internal/operations.h"

using namespace brightoffice;
using namespace brightoffice::internal;
using namespace brightoffice::internal::customer_user;

namespace {

CustomerInfo SampleCustomer() {
  CustomerInfo c;
  c.id = *Guid::Parse("{3F2504E0-4F89-11D3-9A0C-0305E82C3301}");
  c.email = "zoë@example.com";
  c.mfa_code = Secret("123456");
  c.new_password = Secret("密码");
  c.temporary_password = Secret("");
  return c;
}

template <typename Op>
void CheckRequestMapping() {
  const CustomerInfo c = SampleCustomer();
  RequestHolder<typename Op::Request> holder(c, {"api-user", Secret("api-secret")});
  typename Op::Request* r = holder.get();
  REQUIRE(r->CustomerInfo != nullptr);
  REQUIRE(r->UserInfo != nullptr);
  CHECK(r->CustomerInfo->Id == "3f2504e0-4f89-11d3-9a0c-0305e82c3301");
  REQUIRE(r->CustomerInfo->Email);
  CHECK(*r->CustomerInfo->Email == "zoë@example.com");
  CHECK(r->CustomerInfo->Password == nullptr);
  REQUIRE(r->CustomerInfo->MFACode);
  CHECK(*r->CustomerInfo->MFACode == "123456");
  REQUIRE(r->CustomerInfo->TemporaryPassword);
  CHECK(r->CustomerInfo->TemporaryPassword->empty());
  REQUIRE(r->CustomerInfo->NewPassword);
  CHECK(*r->CustomerInfo->NewPassword == "密码");
  CHECK(*r->UserInfo->Username == "api-user");
  CHECK(*r->UserInfo->Password == "api-secret");

  // The mock's view of the same request, field by field from the same table.
  const ReceivedRequest seen = Receive(*r);
  CHECK(seen.has_customer_info);
  CHECK(seen.has_user_info);
  CHECK(seen.id == "3f2504e0-4f89-11d3-9a0c-0305e82c3301");
  CHECK(seen[kEmail] == std::optional<std::string>("zoë@example.com"));
  CHECK_FALSE(seen[kPassword].has_value());
  CHECK(seen[kMfaCode] == std::optional<std::string>("123456"));
  CHECK(seen[kTemporaryPassword] == std::optional<std::string>(""));
  CHECK(seen[kNewPassword] == std::optional<std::string>("密码"));
  CHECK(seen[kUsername] == std::optional<std::string>("api-user"));
  CHECK(seen[kApiPassword] == std::optional<std::string>("api-secret"));
}

template <typename Op>
void CheckResultMapping() {
  for (auto code : {SuccessCode::kSuccess, SuccessCode::kSystemError, SuccessCode::kLoginError, SuccessCode::kOther,
                    SuccessCode::kMissingRecord, SuccessCode::kParameterError}) {
    ServiceResult in;
    in.code = code;
    in.exception_message = "e";
    in.is_system_error = code == SuccessCode::kSystemError;
    ResultHolder holder(in);
    typename Op::Response response;
    ResultOf<Op>(response) = holder.get();
    auto out = ReadResult(ResultOf<Op>(response), Op::kInfo.result_element);
    REQUIRE(out.ok());
    CHECK(out->code == code);
    CHECK(out->raw_code == ToString(code));
    CHECK_FALSE(out->message.has_value());
    CHECK(out->exception_message == std::optional<std::string>("e"));
    CHECK(out->is_system_error == (code == SuccessCode::kSystemError));
  }
  // An unknown SuccessCode is kept as text and does not fail.
  ServiceResult unknown;
  unknown.raw_code = "PENDINGAPPROVAL";
  unknown.message = "m";
  ResultHolder holder(unknown);
  auto out = ReadResult(holder.get(), Op::kInfo.result_element);
  REQUIRE(out.ok());
  CHECK(out->code == SuccessCode::kUnknown);
  CHECK(out->raw_code == "PENDINGAPPROVAL");
  CHECK(out->message == std::optional<std::string>("m"));
  // No result element: malformed, naming the operation's element.
  typename Op::Response empty;
  auto missing = ReadResult(ResultOf<Op>(empty), Op::kInfo.result_element);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().kind() == ErrorKind::kMalformedResponse);
  CHECK(missing.status().message().find(std::string(Op::kInfo.result_element)) != std::string::npos);
}

}  // namespace

TEST_CASE("each operation maps every request field, leaving absent optionals out and empty ones empty") {
  CheckRequestMapping<ConfirmCustomerUserMfaOp>();
  CheckRequestMapping<CustomerUserSendResetPasswordOp>();
}

TEST_CASE("each operation's result survives the round trip; an unknown code is text; a missing result fails") {
  CheckResultMapping<ConfirmCustomerUserMfaOp>();
  CheckResultMapping<CustomerUserSendResetPasswordOp>();
}

TEST_CASE("the fields that are secret: every password and the MFA code, nothing else") {
  const std::set<std::string> expected = {"CustomerInfo.Password", "CustomerInfo.MFACode",
                                          "CustomerInfo.TemporaryPassword", "CustomerInfo.NewPassword",
                                          "UserInfo.Password"};
  std::set<std::string> secret;
  for (const FieldInfo& f : kFields) {
    if (f.secret) secret.insert(std::string(f.name));
    CHECK((f.customer != nullptr) != (f.user != nullptr));  // each field lives in one place
  }
  CHECK(secret == expected);
  // ForEachSecret gives exactly the secret values that are sent.
  CustomerInfo c = SampleCustomer();
  c.password = Secret("cust-pw");
  std::multiset<std::string> given;
  ForEachSecret(c, {"api-user", Secret("api-secret")}, [&](std::string_view s) { given.insert(std::string(s)); });
  CHECK(given == std::multiset<std::string>{"123456", "密码", "cust-pw", "api-secret"});  // the empty one is nothing to hide
}

TEST_CASE("validation names the field whose text XML cannot carry, never the text") {
  CustomerInfo c;
  c.email = "ok@example.com";
  c.new_password = Secret(std::string("bad\x01secret"));
  auto s = Validate(c, {"api-user", Secret("api-secret")});
  REQUIRE_FALSE(s.ok());
  CHECK(s.kind() == ErrorKind::kInvalidArgument);
  CHECK(s.message().find("CustomerInfo.NewPassword") == 0);
  CHECK(s.message().find("secret") == std::string::npos);
  CHECK(Validate(SampleCustomer(), {"api-user", Secret("api-secret")}).ok());
  auto user = Validate(CustomerInfo{}, {"bad\x02user", Secret("pw")});
  REQUIRE_FALSE(user.ok());
  CHECK(user.message().find("UserInfo.Username") == 0);
}

TEST_CASE("the operations' descriptions: names, SOAPActions and result elements from the help pages") {
  CHECK(ConfirmCustomerUserMfaOp::kInfo.name == "ConfirmCustomerUserMFA");
  CHECK(ConfirmCustomerUserMfaOp::kInfo.soap_action == "http://tempuri.org/ConfirmCustomerUserMFA");
  CHECK(ConfirmCustomerUserMfaOp::kInfo.result_element == "ConfirmCustomerUserMFAResult");
  CHECK(CustomerUserSendResetPasswordOp::kInfo.name == "CustomerUserSendResetPassword");
  CHECK(CustomerUserSendResetPasswordOp::kInfo.soap_action == "http://tempuri.org/CustomerUserSendResetPassword");
  CHECK(CustomerUserSendResetPasswordOp::kInfo.result_element == "CustomerUserSendResetPasswordResult");
}

TEST_CASE("Makefile.gsoap's default operation list (wsdl/operations.txt) is the list of descriptions") {
  std::ifstream in(BRIGHTOFFICE_OPERATIONS_TXT);
  REQUIRE(in.good());
  std::vector<std::string> listed;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    listed.push_back(line);
  }
  std::vector<std::string> described;
  for (const OperationInfo& op : kOperations) described.emplace_back(op.name);
  CHECK(listed == described);
}

TEST_CASE("FakeConnection records each call under its operation's described name") {
  // The public test double cannot include the descriptions (they bring gSOAP): its names are
  // kept equal to them here, in kOperations order.
  auto fake = std::make_shared<brightoffice::testing::FakeConnection>();
  brightoffice::Client client(fake);
  CustomerInfo c;
  c.email = "jane@example.com";
  (void)client.ConfirmCustomerUserMfa(c);
  (void)client.CustomerUserSendResetPassword(c);
  const auto calls = fake->calls();
  REQUIRE(calls.size() == std::size(kOperations));
  CHECK(calls[0].operation == ConfirmCustomerUserMfaOp::kInfo.name);
  CHECK(calls[1].operation == CustomerUserSendResetPasswordOp::kInfo.name);
}
