// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>

#include "contract.h"

using namespace brightoffice;
using brightoffice::internal::ReceivedRequest;
using brightoffice::mock::Answer;
using brightoffice::mock::Decide;

namespace {
ReceivedRequest Valid() {
  ReceivedRequest r;
  r.has_user_info = true;
  r.username = "api-user";
  r.api_password = "api-secret";
  r.has_customer_info = true;
  r.id = "3F2504E0-4F89-11D3-9A0C-0305E82C3301";
  r.email = "jane@example.com";
  r.mfa_code = "123456";
  return r;
}
std::string Message(const Answer& a) { return a.result.message.value_or("<absent>"); }
}  // namespace

TEST_CASE("the test contract's rows, in order") {
  auto r = Valid();
  Answer a = Decide(r, {});
  CHECK(a.kind == Answer::Kind::kResult);
  CHECK(a.result.code == SuccessCode::kSuccess);
  CHECK(Message(a) == "MFA confirmed for jane@example.com (3f2504e0-4f89-11d3-9a0c-0305e82c3301) newpw=no tmppw=no");
  CHECK(a.result.exception_message == std::optional<std::string>(""));
  CHECK_FALSE(a.result.is_system_error);

  r = Valid(); r.api_password = "wrong";
  CHECK(Message(Decide(r, {})) == "Invalid API credentials");
  r = Valid(); r.has_user_info = false; r.username.reset(); r.api_password.reset();
  CHECK(Decide(r, {}).result.code == SuccessCode::kLoginError);
  r = Valid(); r.email = "";
  CHECK(Decide(r, {}).result.code == SuccessCode::kParameterError);
  r = Valid(); r.email.reset(); r.api_password = "x";  // credentials are checked first
  CHECK(Decide(r, {}).result.code == SuccessCode::kLoginError);
  r = Valid(); r.email = "missing@example.com"; r.mfa_code = "boom";  // record before fault
  CHECK(Decide(r, {}).result.code == SuccessCode::kMissingRecord);
  r = Valid(); r.mfa_code = "boom";
  a = Decide(r, {});
  CHECK(a.kind == Answer::Kind::kFault);
  CHECK(a.fault_string == "Simulated server failure (MFACode=boom)");
  r = Valid(); r.mfa_code = "slow"; r.new_password = "n"; r.temporary_password = "";
  a = Decide(r, {});
  CHECK(a.delay == std::chrono::seconds(5));
  CHECK(Message(a).find("newpw=yes tmppw=empty") != std::string::npos);
  r = Valid(); r.mfa_code = "654321";
  CHECK(Message(Decide(r, {})) == "Invalid MFA code");
  r = Valid(); r.mfa_code.reset();
  CHECK(Decide(r, {}).result.code == SuccessCode::kOther);
  r = Valid(); r.id = "";
  CHECK(Message(Decide(r, {})).find("(00000000-0000-0000-0000-000000000000)") != std::string::npos);
  r = Valid(); r.id = "not-a-guid";
  a = Decide(r, {});
  CHECK(a.kind == Answer::Kind::kFault);
  CHECK(a.sender_fault);  // soap:Client, as ASMX: the request could not be read
  CHECK(a.fault_string == "Unrecognized Guid format.");
  r = Valid(); r.id = ""; r.id_present = true;  // <Id/>: a fault on ASMX, not the nil guid
  a = Decide(r, {});
  CHECK(a.kind == Answer::Kind::kFault);
  CHECK(a.sender_fault);
  CHECK_FALSE(a.fault_string.empty());
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
  r.mfa_code = "sys";
  Answer a = Decide(r, *rules);
  CHECK(a.result.code == SuccessCode::kSystemError);
  CHECK(a.result.is_system_error);
  CHECK(a.result.exception_message == std::optional<std::string>("NullReferenceException"));
  r = Valid();
  r.email = "new@example.com";
  a = Decide(r, *rules);
  CHECK(a.result.raw_code == "PENDING");
  CHECK(a.result.code == SuccessCode::kUnknown);
  CHECK_FALSE(a.result.message.has_value());
  CHECK(a.delay == std::chrono::milliseconds(7));
  r = Valid();
  r.mfa_code = "f";
  a = Decide(r, *rules);
  CHECK(a.kind == Answer::Kind::kFault);
  CHECK(a.sender_fault);
  r = Valid();  // no rule matches: the contract answers
  CHECK(Decide(r, *rules).result.code == SuccessCode::kSuccess);
  std::remove(path.c_str());
}

TEST_CASE("a broken fixtures file is an invalid argument") {
  const std::string path = "mock_contract_test_broken.json";
  for (const char* text : {"{", "{}", R"([{"match": {}}])", R"([{"result": {}}])"}) {
    CAPTURE(text);
    std::ofstream(path) << text;
    auto rules = mock::LoadFixtures(path);
    REQUIRE_FALSE(rules.ok());
    CHECK(rules.status().kind() == ErrorKind::kInvalidArgument);
  }
  std::remove(path.c_str());
  CHECK_FALSE(mock::LoadFixtures("/nonexistent/fixtures.json").ok());
}
