// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#include <doctest/doctest.h>

#include "contract.h"
#include "internal/adapter.h"

using namespace brightoffice;
using namespace brightoffice::internal;

TEST_CASE("a request maps every field, leaving absent optionals out and empty ones empty") {
  CustomerInfo c;
  c.id = *Guid::Parse("{3F2504E0-4F89-11D3-9A0C-0305E82C3301}");
  c.email = "zoë@example.com";
  c.mfa_code = Secret("123456");
  c.new_password = Secret("密码");
  c.temporary_password = Secret("");
  RequestHolder holder(c, {"api-user", Secret("api-secret")});
  wire::Request* r = holder.get();
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

  // The mock's view of the same request.
  ReceivedRequest seen = FromWire(*r);
  CHECK(seen.has_customer_info);
  CHECK(seen.id == "3f2504e0-4f89-11d3-9a0c-0305e82c3301");
  CHECK(seen.email == std::optional<std::string>("zoë@example.com"));
  CHECK_FALSE(seen.password.has_value());
  CHECK(seen.temporary_password == std::optional<std::string>(""));
  CHECK(seen.username == std::optional<std::string>("api-user"));
}

TEST_CASE("an unknown SuccessCode is kept as text and does not fail") {
  ServiceResult in;
  in.raw_code = "PENDINGAPPROVAL";
  in.message = "m";
  ResponseHolder holder(in);
  wire::Response response;
  holder.CopyTo(response);
  auto out = FromWire(response);
  REQUIRE(out.ok());
  CHECK(out->code == SuccessCode::kUnknown);
  CHECK(out->raw_code == "PENDINGAPPROVAL");
  CHECK(out->message == std::optional<std::string>("m"));
  CHECK_FALSE(out->exception_message.has_value());
}

TEST_CASE("every known code and the other fields survive the round trip") {
  for (auto code : {SuccessCode::kSuccess, SuccessCode::kSystemError, SuccessCode::kLoginError,
                    SuccessCode::kOther, SuccessCode::kMissingRecord, SuccessCode::kParameterError}) {
    ServiceResult in;
    in.code = code;
    in.exception_message = "e";
    in.is_system_error = code == SuccessCode::kSystemError;
    ResponseHolder holder(in);
    wire::Response response;
    holder.CopyTo(response);
    auto out = FromWire(response);
    REQUIRE(out.ok());
    CHECK(out->code == code);
    CHECK(out->raw_code == ToString(code));
    CHECK_FALSE(out->message.has_value());
    CHECK(out->exception_message == std::optional<std::string>("e"));
    CHECK(out->is_system_error == (code == SuccessCode::kSystemError));
  }
}

TEST_CASE("a response without its result element is malformed") {
  wire::Response response;
  auto out = FromWire(response);
  REQUIRE_FALSE(out.ok());
  CHECK(out.status().kind() == ErrorKind::kMalformedResponse);
}
