// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// Every row of the test contract, through the whole client, against the mock service on
// loopback, over SOAP 1.1 and SOAP 1.2.

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include "brightoffice/client.h"
#include "brightoffice/testing/mock_server.h"
#include "time_scale.h"

using namespace brightoffice;
using brightoffice::testing::MockServer;
using brightoffice::testing::MockServerOptions;

namespace {

const char* kId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

std::unique_ptr<MockServer> StartMock(MockServerOptions options = {}) {
  auto server = MockServer::Start(std::move(options));
  REQUIRE(server.ok());
  return std::move(*server);
}

Client MakeClient(const MockServer& server, SoapVersion version,
                  ApiCredentials credentials = {"api-user", Secret("api-secret")},
                  std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
  Options options;
  options.endpoint = server.endpoint();
  options.soap_version = version;
  options.deadline = deadline;
  auto client = Client::Create(options, std::move(credentials));
  REQUIRE(client.ok());
  return *client;
}

CustomerInfo Customer(const char* email, const char* code) {
  CustomerInfo c;
  c.id = *Guid::Parse(kId);
  if (email) c.email = email;
  if (code) c.mfa_code = Secret(code);
  return c;
}

ServiceResult Delivered(const Client& client, const CustomerInfo& customer) {
  auto result = client.ConfirmCustomerUserMfa(customer);
  INFO(result.status().ToString());
  REQUIRE(result.ok());
  return *result;
}

}  // namespace

TEST_CASE("every row of the test contract, over SOAP 1.1 and 1.2") {
  auto server = StartMock();
  for (SoapVersion version : {SoapVersion::kSoap11, SoapVersion::kSoap12}) {
    CAPTURE(version == SoapVersion::kSoap11 ? "SOAP 1.1" : "SOAP 1.2");
    Client client = MakeClient(*server, version);

    SUBCASE("wrong API credentials: LOGINERROR") {
      Client wrong = MakeClient(*server, version, {"api-user", Secret("nope")});
      auto r = Delivered(wrong, Customer("jane@example.com", "123456"));
      CHECK(r.code == SuccessCode::kLoginError);
      CHECK(r.raw_code == "LOGINERROR");
      CHECK(r.message == std::optional<std::string>("Invalid API credentials"));
      CHECK(r.exception_message == std::optional<std::string>(""));
      CHECK_FALSE(r.is_system_error);
      Client other_user = MakeClient(*server, version, {"someone", Secret("api-secret")});
      CHECK(Delivered(other_user, Customer("jane@example.com", "123456")).code == SuccessCode::kLoginError);
    }
    SUBCASE("no or empty Email: PARAMETERERROR") {
      auto r = Delivered(client, Customer(nullptr, "123456"));
      CHECK(r.code == SuccessCode::kParameterError);
      CHECK(r.message == std::optional<std::string>("Email is required"));
      CHECK(Delivered(client, Customer("", "123456")).code == SuccessCode::kParameterError);
    }
    SUBCASE("unknown customer: MISSINGRECORD") {
      auto r = Delivered(client, Customer("missing@example.com", "123456"));
      CHECK(r.code == SuccessCode::kMissingRecord);
      CHECK(r.message == std::optional<std::string>("Customer user not found"));
    }
    SUBCASE("MFACode boom: a SOAP fault, with the code redacted, and the next call works") {
      auto r = client.ConfirmCustomerUserMfa(Customer("jane@example.com", "boom"));
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().kind() == ErrorKind::kSoapFault);
      CHECK(r.status().http_status() == 500);
      CHECK(r.status().fault_string() == "Server was unable to process request. ---> Simulated server failure (MFACode=***)");
      CHECK(r.status().message().find("boom") == std::string::npos);
      CHECK(r.status().fault_code() ==
            (version == SoapVersion::kSoap11 ? "SOAP-ENV:Server" : "SOAP-ENV:Receiver"));
      // The server closed the connection after the fault: the same client reconnects.
      CHECK(Delivered(client, Customer("jane@example.com", "123456")).code == SuccessCode::kSuccess);
    }
    SUBCASE("MFACode 123456: SUCCESS, reporting what crossed the wire") {
      auto r = Delivered(client, Customer("jane@example.com", "123456"));
      CHECK(r.succeeded());
      CHECK(r.raw_code == "SUCCESS");
      CHECK(r.message == std::optional<std::string>(std::string("MFA confirmed for jane@example.com (") + kId +
                                                    ") newpw=no tmppw=no"));
      CustomerInfo c = Customer("jane@example.com", "123456");
      c.new_password = Secret("N3w!pass");
      c.temporary_password = Secret("");
      c.password = Secret("old");
      c.id = Guid();
      r = Delivered(client, c);
      CHECK(r.message == std::optional<std::string>(
                             "MFA confirmed for jane@example.com (00000000-0000-0000-0000-000000000000) newpw=yes tmppw=empty"));
    }
    SUBCASE("any other MFACode: OTHER") {
      auto r = Delivered(client, Customer("jane@example.com", "000000"));
      CHECK(r.code == SuccessCode::kOther);
      CHECK(r.message == std::optional<std::string>("Invalid MFA code"));
      CHECK(Delivered(client, Customer("jane@example.com", nullptr)).code == SuccessCode::kOther);
    }
    SUBCASE("MFACode slow with a 1 s deadline: timeout, within the deadline plus 0.5 s") {
      Client hurried = MakeClient(*server, version, {"api-user", Secret("api-secret")}, std::chrono::seconds(1));
      const auto start = std::chrono::steady_clock::now();
      auto r = hurried.ConfirmCustomerUserMfa(Customer("jane@example.com", "slow"));
      const auto elapsed = std::chrono::steady_clock::now() - start;
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().kind() == ErrorKind::kTimeout);
      CHECK(elapsed >= std::chrono::milliseconds(900));
      // 0.5 s of slack, stretched under valgrind and the sanitizers (time_scale.h).
      CHECK(elapsed < std::chrono::seconds(1) + std::chrono::milliseconds(500) * tests::TimeScale());
    }
    SUBCASE("UTF-8 text round-trips unchanged") {
      auto r = Delivered(client, Customer("zoë.密码@example.com", "123456"));
      CHECK(r.message == std::optional<std::string>(std::string("MFA confirmed for zoë.密码@example.com (") + kId +
                                                    ") newpw=no tmppw=no"));
    }
  }
}

TEST_CASE("MFACode slow answers after 5 s when the deadline allows it") {
  auto server = StartMock();
  Client client = MakeClient(*server, SoapVersion::kSoap11);
  const auto start = std::chrono::steady_clock::now();
  auto r = Delivered(client, Customer("jane@example.com", "slow"));
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(4900));
  CHECK(r.code == SuccessCode::kSuccess);
}

TEST_CASE("codes the client does not know, and system errors, are delivered results") {
  const std::string path = "contract_test_fixtures.json";
  std::ofstream(path) << R"([
    {"match": {"mfaCode": "new"}, "result": {"successCode": "PENDINGAPPROVAL", "message": "later"}},
    {"match": {"mfaCode": "sys"}, "result": {"successCode": "SYSTEMERROR", "message": "Database unavailable",
      "exceptionMessage": "SqlException: timeout", "isSystemError": true}}
  ])";
  MockServerOptions options;
  options.fixtures_file = path;
  auto server = StartMock(options);
  for (SoapVersion version : {SoapVersion::kSoap11, SoapVersion::kSoap12}) {
    Client client = MakeClient(*server, version);
    auto r = Delivered(client, Customer("jane@example.com", "new"));
    CHECK(r.code == SuccessCode::kUnknown);
    CHECK(r.raw_code == "PENDINGAPPROVAL");
    CHECK(r.message == std::optional<std::string>("later"));
    CHECK_FALSE(r.exception_message.has_value());
    r = Delivered(client, Customer("jane@example.com", "sys"));
    CHECK(r.code == SuccessCode::kSystemError);
    CHECK(r.is_system_error);
    CHECK(r.exception_message == std::optional<std::string>("SqlException: timeout"));
  }
  std::remove(path.c_str());
}

TEST_CASE("one Client shared by many threads: every answer matches its request") {
  auto server = StartMock();
  Client client = MakeClient(*server, SoapVersion::kSoap11);
  std::atomic<int> wrong{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        const std::string email = "user" + std::to_string(t) + "-" + std::to_string(i) + "@example.com";
        auto r = client.ConfirmCustomerUserMfa(Customer(email.c_str(), "123456"));
        if (!r.ok()) {
          ++failed;
        } else if (r->message.value_or("").find("for " + email + " (") == std::string::npos) {
          ++wrong;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(failed == 0);
  CHECK(wrong == 0);
  CHECK(server->requests_answered() == 200);
}

namespace {

ServiceResult ResetSent(const Client& client, const CustomerInfo& customer) {
  auto result = client.CustomerUserSendResetPassword(customer);
  INFO(result.status().ToString());
  REQUIRE(result.ok());
  return *result;
}

}  // namespace

TEST_CASE("CustomerUserSendResetPassword: every row of the test contract, over SOAP 1.1 and 1.2") {
  auto server = StartMock();
  for (SoapVersion version : {SoapVersion::kSoap11, SoapVersion::kSoap12}) {
    CAPTURE(version == SoapVersion::kSoap11 ? "SOAP 1.1" : "SOAP 1.2");
    Client client = MakeClient(*server, version);
    Client wrong = MakeClient(*server, version, {"api-user", Secret("nope")});
    auto login = ResetSent(wrong, Customer("jane@example.com", nullptr));
    CHECK(login.code == SuccessCode::kLoginError);
    CHECK(login.message == std::optional<std::string>("Invalid API credentials"));
    CHECK(ResetSent(client, Customer(nullptr, nullptr)).code == SuccessCode::kParameterError);
    CHECK(ResetSent(client, Customer("", nullptr)).message == std::optional<std::string>("Email is required"));
    CHECK(ResetSent(client, Customer("missing@example.com", nullptr)).code == SuccessCode::kMissingRecord);

    auto boom = client.CustomerUserSendResetPassword(Customer("jane@example.com", "boom"));
    REQUIRE_FALSE(boom.ok());
    CHECK(boom.status().kind() == ErrorKind::kSoapFault);
    CHECK(boom.status().http_status() == 500);
    CHECK(boom.status().fault_string() == "Server was unable to process request. ---> Simulated server failure (MFACode=***)");
    CHECK(boom.status().request_may_have_been_sent());

    auto sent = ResetSent(client, Customer("jane@example.com", nullptr));
    CHECK(sent.succeeded());
    CHECK(sent.raw_code == "SUCCESS");
    CHECK(sent.message == std::optional<std::string>(std::string("Reset password sent to jane@example.com (") + kId +
                                                     ") newpw=no tmppw=no"));
    CHECK(sent.exception_message == std::optional<std::string>(""));
    CHECK_FALSE(sent.is_system_error);
    // Any MFACode (or none): this operation has no "Invalid MFA code" row.
    CHECK(ResetSent(client, Customer("jane@example.com", "000000")).succeeded());
    CustomerInfo c = Customer("jane@example.com", nullptr);
    c.temporary_password = Secret("T3mp!");
    c.new_password = Secret("");
    c.id = Guid();
    CHECK(ResetSent(client, c).message ==
          std::optional<std::string>("Reset password sent to jane@example.com (00000000-0000-0000-0000-000000000000) newpw=empty tmppw=yes"));

    Client hurried = MakeClient(*server, version, {"api-user", Secret("api-secret")}, std::chrono::seconds(1));
    const auto start = std::chrono::steady_clock::now();
    auto slow = hurried.CustomerUserSendResetPassword(Customer("jane@example.com", "slow"));
    REQUIRE_FALSE(slow.ok());
    CHECK(slow.status().kind() == ErrorKind::kTimeout);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1) + std::chrono::milliseconds(500) * tests::TimeScale());
  }
}

TEST_CASE("the customer-user flow on one Client: send a reset, then confirm the code with a new password") {
  auto server = StartMock();
  Client client = MakeClient(*server, SoapVersion::kSoap11);
  CustomerInfo jane = Customer("jane@example.com", nullptr);
  auto sent = client.CustomerUserSendResetPassword(jane);
  REQUIRE(sent.ok());
  CHECK(sent->succeeded());
  jane.mfa_code = Secret("123456");
  jane.new_password = Secret("N3w-Passw0rd");
  auto confirmed = client.ConfirmCustomerUserMfa(jane);
  REQUIRE(confirmed.ok());
  CHECK(confirmed->succeeded());
  CHECK(confirmed->message.value_or("").find("newpw=yes") != std::string::npos);
  CHECK(server->requests_answered() == 2);  // both operations count
}
