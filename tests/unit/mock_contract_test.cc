// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <string_view>
#include <vector>

#include "contract.h"

using namespace brightoffice;
using brightoffice::internal::customer_user::ReceivedRequest;
using namespace brightoffice::internal::customer_user;
using brightoffice::mock::Answer;
using brightoffice::mock::Decide;
using brightoffice::mock::kConfirmCustomerUserMfa;
using brightoffice::mock::kCustomerUserSendResetPassword;

namespace {
constexpr std::string_view kOp = kConfirmCustomerUserMfa;
ReceivedRequest Valid() {
  ReceivedRequest r;
  r.has_user_info = true;
  r.fields[kUsername] = "api-user";
  r.fields[kApiPassword] = "api-secret";
  r.has_customer_info = true;
  r.id = "3F2504E0-4F89-11D3-9A0C-0305E82C3301";
  r.fields[kEmail] = "jane@example.com";
  r.fields[kMfaCode] = "123456";
  return r;
}
std::string Message(const Answer& a) { return a.result.message.value_or("<absent>"); }
}  // namespace

TEST_CASE("the test contract's rows, in order") {
  auto r = Valid();
  Answer a = Decide(kOp, r, {});
  CHECK(a.kind == Answer::Kind::kResult);
  CHECK(a.result.code == SuccessCode::kSuccess);
  CHECK(Message(a) == "MFA confirmed for jane@example.com (3f2504e0-4f89-11d3-9a0c-0305e82c3301) newpw=no tmppw=no");
  CHECK(a.result.exception_message == std::optional<std::string>(""));
  CHECK_FALSE(a.result.is_system_error);

  r = Valid(); r.fields[kApiPassword] = "wrong";
  CHECK(Message(Decide(kOp, r, {})) == "Invalid API credentials");
  r = Valid(); r.has_user_info = false; r.fields[kUsername].reset(); r.fields[kApiPassword].reset();
  CHECK(Decide(kOp, r, {}).result.code == SuccessCode::kLoginError);
  r = Valid(); r.fields[kEmail] = "";
  CHECK(Decide(kOp, r, {}).result.code == SuccessCode::kParameterError);
  r = Valid(); r.fields[kEmail].reset(); r.fields[kApiPassword] = "x";  // credentials are checked first
  CHECK(Decide(kOp, r, {}).result.code == SuccessCode::kLoginError);
  r = Valid(); r.fields[kEmail] = "missing@example.com"; r.fields[kMfaCode] = "boom";  // record before fault
  CHECK(Decide(kOp, r, {}).result.code == SuccessCode::kMissingRecord);
  r = Valid(); r.fields[kMfaCode] = "boom";
  a = Decide(kOp, r, {});
  CHECK(a.kind == Answer::Kind::kFault);
  CHECK(a.fault_string == "Simulated server failure (MFACode=boom)");
  r = Valid(); r.fields[kMfaCode] = "slow"; r.fields[kNewPassword] = "n"; r.fields[kTemporaryPassword] = "";
  a = Decide(kOp, r, {});
  CHECK(a.delay == std::chrono::seconds(5));
  CHECK(Message(a).find("newpw=yes tmppw=empty") != std::string::npos);
  r = Valid(); r.fields[kMfaCode] = "654321";
  CHECK(Message(Decide(kOp, r, {})) == "Invalid MFA code");
  r = Valid(); r.fields[kMfaCode].reset();
  CHECK(Decide(kOp, r, {}).result.code == SuccessCode::kOther);
  r = Valid(); r.id = "";
  CHECK(Message(Decide(kOp, r, {})).find("(00000000-0000-0000-0000-000000000000)") != std::string::npos);
  r = Valid(); r.id = "not-a-guid";
  a = Decide(kOp, r, {});
  CHECK(a.kind == Answer::Kind::kFault);
  CHECK(a.sender_fault);  // soap:Client, as ASMX: the request could not be read
  CHECK(a.fault_string == "Unrecognized Guid format.");
  r = Valid(); r.id = ""; r.id_present = true;  // <Id/>: a fault on ASMX, not the nil guid
  a = Decide(kOp, r, {});
  CHECK(a.kind == Answer::Kind::kFault);
  CHECK(a.sender_fault);
  CHECK_FALSE(a.fault_string.empty());
}

TEST_CASE("CustomerUserSendResetPassword: the same rows, then its own last row") {
  constexpr std::string_view kReset = kCustomerUserSendResetPassword;
  auto r = Valid();
  r.fields[kMfaCode].reset();  // no code in a reset request
  Answer a = Decide(kReset, r, {});
  CHECK(a.kind == Answer::Kind::kResult);
  CHECK(a.result.code == SuccessCode::kSuccess);
  CHECK(Message(a) == "Reset password sent to jane@example.com (3f2504e0-4f89-11d3-9a0c-0305e82c3301) newpw=no tmppw=no");
  CHECK(a.result.exception_message == std::optional<std::string>(""));
  r = Valid(); r.fields[kMfaCode] = "654321";  // any code: no "Invalid MFA code" row here
  CHECK(Decide(kReset, r, {}).result.code == SuccessCode::kSuccess);
  r = Valid(); r.fields[kApiPassword] = "wrong";
  CHECK(Message(Decide(kReset, r, {})) == "Invalid API credentials");
  r = Valid(); r.fields[kEmail] = "";
  CHECK(Message(Decide(kReset, r, {})) == "Email is required");
  r = Valid(); r.fields[kEmail] = "missing@example.com";
  CHECK(Message(Decide(kReset, r, {})) == "Customer user not found");
  r = Valid(); r.fields[kMfaCode] = "boom";
  a = Decide(kReset, r, {});
  CHECK(a.kind == Answer::Kind::kFault);
  CHECK(a.fault_string == "Simulated server failure (MFACode=boom)");
  r = Valid(); r.fields[kMfaCode] = "slow"; r.fields[kNewPassword] = ""; r.fields[kTemporaryPassword] = "t";
  a = Decide(kReset, r, {});
  CHECK(a.delay == std::chrono::seconds(5));
  CHECK(Message(a).find("Reset password sent to") == 0);
  CHECK(Message(a).find("newpw=empty tmppw=yes") != std::string::npos);
}

TEST_CASE("fixtures are matched before the contract") {
  const std::string path = "mock_contract_test_fixtures.json";
  std::ofstream(path) << R"([
    {"match": {"mfaCode": "sys"}, "result": {"successCode": "SYSTEMERROR", "message": "down",
     "exceptionMessage": "NullReferenceException", "isSystemError": true}},
    {"match": {"email": "new@example.com", "mfaCode": "123456"}, "result": {"successCode": "PENDING"}, "delayMs": 7},
    {"match": {"username": "api-user", "id": "{3f2504e0-4f89-11d3-9a0c-0305e82c3301}", "mfaCode": "f"}, "fault": "custom", "senderFault": true}
  ])";
  auto rules = mock::LoadFixtures(path);
  REQUIRE(rules.ok());
  auto r = Valid();
  r.fields[kMfaCode] = "sys";
  Answer a = Decide(kOp, r, *rules);
  CHECK(a.result.code == SuccessCode::kSystemError);
  CHECK(a.result.is_system_error);
  CHECK(a.result.exception_message == std::optional<std::string>("NullReferenceException"));
  r = Valid();
  r.fields[kEmail] = "new@example.com";
  a = Decide(kOp, r, *rules);
  CHECK(a.result.raw_code == "PENDING");
  CHECK(a.result.code == SuccessCode::kUnknown);
  CHECK_FALSE(a.result.message.has_value());
  CHECK(a.delay == std::chrono::milliseconds(7));
  r = Valid();
  r.fields[kMfaCode] = "f";
  a = Decide(kOp, r, *rules);
  CHECK(a.kind == Answer::Kind::kFault);
  CHECK(a.sender_fault);
  r = Valid();  // no rule matches: the contract answers
  CHECK(Decide(kOp, r, *rules).result.code == SuccessCode::kSuccess);
  std::remove(path.c_str());
}

TEST_CASE("a fixture may match on the operation") {
  const std::string path = "mock_contract_test_operation.json";
  std::ofstream(path) << R"([
    {"match": {"operation": "CustomerUserSendResetPassword", "email": "jane@example.com"}, "fault": "reset"},
    {"match": {"operation": "ConfirmCustomerUserMFA", "email": "jane@example.com"}, "fault": "confirm"},
    {"match": {"email": "any@example.com"}, "fault": "either"}
  ])";
  auto rules = mock::LoadFixtures(path);
  std::remove(path.c_str());
  INFO(rules.status().ToString());
  REQUIRE(rules.ok());
  REQUIRE(rules->size() == 3);
  CHECK((*rules)[0].operation == std::optional<std::string>("CustomerUserSendResetPassword"));
  CHECK_FALSE((*rules)[2].operation.has_value());
  auto r = Valid();
  CHECK(Decide(kConfirmCustomerUserMfa, r, *rules).fault_string == "confirm");
  CHECK(Decide(kCustomerUserSendResetPassword, r, *rules).fault_string == "reset");
  r.fields[kEmail] = "any@example.com";  // no "operation": either one
  CHECK(Decide(kConfirmCustomerUserMfa, r, *rules).fault_string == "either");
  CHECK(Decide(kCustomerUserSendResetPassword, r, *rules).fault_string == "either");
  r.fields[kEmail] = "other@example.com";  // nothing matches: the contract
  CHECK(Decide(kConfirmCustomerUserMfa, r, *rules).kind == Answer::Kind::kResult);
}

TEST_CASE("a fixture's id matches the request's guid in any spelling, and the nil guid of an absent Id") {
  const std::string path = "mock_contract_test_id.json";
  std::ofstream(path) << R"([
    {"match": {"id": "{3F2504E04F8911D39A0C0305E82C3301}"}, "fault": "that one"},
    {"match": {"id": "00000000-0000-0000-0000-000000000000"}, "fault": "nil"}
  ])";
  auto rules = mock::LoadFixtures(path);
  std::remove(path.c_str());
  REQUIRE(rules.ok());
  auto r = Valid();
  CHECK(Decide(kOp, r, *rules).fault_string == "that one");
  r.id = "";
  CHECK(Decide(kOp, r, *rules).fault_string == "nil");
  r.id = "11111111-2222-3333-4444-555555555555";
  CHECK(Decide(kOp, r, *rules).kind == Answer::Kind::kResult);
}

TEST_CASE("a broken fixtures file is an invalid argument naming the entry and the key") {
  const std::string path = "mock_contract_test_broken.json";
  struct Broken {
    const char* text;
    const char* expected;  // a part of the message
  };
  for (const Broken& b : std::vector<Broken>{
           {"{", "invalid fixtures file"},
           {"{}", "the top level must be an array"},
           {R"([{"match": {}}])", R"(entry 0: needs "result" or "fault")"},
           {R"([{"result": {}}])", R"(entry 0: "successCode" in "result" is required)"},
           {R"([{"fault": "a"}, {"match": {"mfacode": "1"}, "fault": "b"}])",
            R"(entry 1: "mfacode" in "match" is not a known key (known: "operation", "email", "mfaCode", "username", "id"))"},
           {R"([{"match": "x", "fault": "b"}])", R"(entry 0: "match" must be an object)"},
           {R"([{"match": {"id": "nope"}, "fault": "b"}])", R"(entry 0: "id" in "match" must be a guid)"},
           {R"([{"match": {"operation": "Other"}, "fault": "b"}])",
            R"(entry 0: "operation" in "match" must be "ConfirmCustomerUserMFA" or "CustomerUserSendResetPassword")"},
           {R"([{"fault": "b", "delayMs": 3600001}])", R"(entry 0: "delayMs" must be a whole number from 0 to 3600000)"},
           {R"([{"fault": "b", "delayMs": 18446744073709551615}])", R"(entry 0: "delayMs" must be a whole number)"},
           {R"([{"fault": "b", "delayMs": 1e3}])", R"(entry 0: "delayMs" must be a whole number)"},
           {R"([{"result": {"successCode": "X", "isSystemError": "true"}}])",
            R"(entry 0: "isSystemError" in "result" must be true or false)"},
           {R"([{"result": {"successCode": "X", "message": []}}])", R"(entry 0: "message" in "result" must be a string or null)"},
           {R"([{"fault": "b", "fault": "c"}])", R"(entry 0: "fault" is given twice)"},
           {R"([{"fault": "a"}, {"fault": "b"}, {"match": {"email": "a", "email": "b"}, "fault": "c"}])",
            R"(entry 2: "email" in "match" is given twice)"},
           {R"([{"fault": "a"}, 7])", "entry 1: must be an object"},
       }) {
    CAPTURE(b.text);
    std::ofstream(path) << b.text;
    auto rules = mock::LoadFixtures(path);
    REQUIRE_FALSE(rules.ok());
    CHECK(rules.status().kind() == ErrorKind::kInvalidArgument);
    CHECK(rules.status().message().find(b.expected) != std::string::npos);
    CHECK(rules.status().message().find(path) != std::string::npos);
  }
  std::remove(path.c_str());
  CHECK_FALSE(mock::LoadFixtures("/nonexistent/fixtures.json").ok());
}

TEST_CASE("fixture values at the edges of their ranges are taken as they are") {
  const std::string path = "mock_contract_test_edges.json";
  std::ofstream(path) << R"([
    {"match": {"mfaCode": "a"}, "result": {"successCode": "", "message": null, "exceptionMessage": null}, "delayMs": 3600000},
    {"match": {"mfaCode": "b"}, "fault": "", "senderFault": false, "delayMs": 0}
  ])";
  auto rules = mock::LoadFixtures(path);
  std::remove(path.c_str());
  INFO(rules.status().ToString());
  REQUIRE(rules.ok());
  auto r = Valid();
  r.fields[kMfaCode] = "a";
  Answer a = Decide(kOp, r, *rules);
  CHECK(a.delay == std::chrono::hours(1));
  CHECK(a.result.raw_code.empty());
  CHECK_FALSE(a.result.message.has_value());
  CHECK_FALSE(a.result.exception_message.has_value());
  r.fields[kMfaCode] = "b";
  a = Decide(kOp, r, *rules);
  CHECK(a.kind == Answer::Kind::kFault);
  CHECK_FALSE(a.sender_fault);
  CHECK(a.delay == std::chrono::milliseconds(0));
}
