// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#include <doctest/doctest.h>

#include <ostream>
#include <sstream>
#include <type_traits>

#include "brightoffice/client.h"

using namespace brightoffice;

template <typename T, typename = void>
struct IsStreamable : std::false_type {};
template <typename T>
struct IsStreamable<T, std::void_t<decltype(std::declval<std::ostream&>() << std::declval<const T&>())>>
    : std::true_type {};

TEST_CASE("secrets and the types holding them cannot be streamed") {
  static_assert(!IsStreamable<Secret>::value);
  static_assert(!IsStreamable<CustomerInfo>::value);
  static_assert(!IsStreamable<ApiCredentials>::value);
  static_assert(!std::is_convertible_v<Secret, std::string>);
  static_assert(!std::is_convertible_v<Secret, std::string_view>);
  // The check itself can tell a streamable type apart.
  static_assert(IsStreamable<std::string>::value);
  CHECK(true);
}

TEST_CASE("Secret keeps its value through copies and moves") {
  Secret a("hunter2");
  Secret b = a;
  CHECK(b.Reveal() == "hunter2");
  Secret c = std::move(a);
  CHECK(c.Reveal() == "hunter2");
  CHECK(a.empty());  // NOLINT(bugprone-use-after-move): moved-from is wiped
  b = Secret("other");
  CHECK(b.Reveal() == "other");
}

TEST_CASE("Secret's move really moves, and wipes what the moved-from one keeps") {
  // A long text: its buffer changes owner, no copy is made.
  Secret long_one(std::string(100, 'k'));
  const char* buffer = long_one.Reveal().data();
  Secret taken = std::move(long_one);
  CHECK(taken.Reveal().data() == buffer);
  CHECK(taken.Reveal() == std::string(100, 'k'));
  CHECK(long_one.empty());  // NOLINT(bugprone-use-after-move)
  // A short text lives inside the object: the bytes left behind there are zeroed.
  Secret short_one("hunter2");
  const char* inside = short_one.Reveal().data();
  Secret moved;
  moved = std::move(short_one);
  CHECK(moved.Reveal() == "hunter2");
  CHECK(short_one.empty());  // NOLINT(bugprone-use-after-move)
  CHECK(short_one.Reveal().data() == inside);  // still the object's own buffer ...
  for (int i = 0; i < 7; ++i) CHECK(inside[i] == '\0');  // ... wiped
}

TEST_CASE("SuccessCode wire names round-trip and unknown text is kUnknown") {
  for (auto code : {SuccessCode::kSuccess, SuccessCode::kSystemError, SuccessCode::kLoginError,
                    SuccessCode::kOther, SuccessCode::kMissingRecord, SuccessCode::kParameterError}) {
    CHECK(ParseSuccessCode(ToString(code)) == code);
  }
  CHECK(ToString(SuccessCode::kLoginError) == "LOGINERROR");
  CHECK(ParseSuccessCode("PENDING") == SuccessCode::kUnknown);
  CHECK(ParseSuccessCode("success") == SuccessCode::kUnknown);
  CHECK(ParseSuccessCode("") == SuccessCode::kUnknown);
}

TEST_CASE("ErrorKind names are the external spellings") {
  CHECK(ToString(ErrorKind::kInvalidArgument) == "invalid_argument");
  CHECK(ToString(ErrorKind::kConnection) == "connection");
  CHECK(ToString(ErrorKind::kTls) == "tls");
  CHECK(ToString(ErrorKind::kTimeout) == "timeout");
  CHECK(ToString(ErrorKind::kHttpStatus) == "http_status");
  CHECK(ToString(ErrorKind::kSoapFault) == "soap_fault");
  CHECK(ToString(ErrorKind::kMalformedResponse) == "malformed_response");
}

TEST_CASE("StatusOr holds a value or an error, never both") {
  StatusOr<int> v(42);
  CHECK(v.ok());
  CHECK(v.status().ok());
  CHECK(*v == 42);
  StatusOr<int> e(Status(ErrorKind::kTimeout, "late"));
  CHECK_FALSE(e.ok());
  CHECK(e.status().kind() == ErrorKind::kTimeout);
  CHECK(e.status().ToString() == "timeout: late");
  CHECK_THROWS_AS(e.value(), BadStatusOrAccess);
  // An OK status without a value is not a silent success, nor an invented failure.
  CHECK_THROWS_AS(StatusOr<int>{Status()}, std::invalid_argument);
  CHECK_THROWS_AS(StatusOr<int>(Status(ErrorKind::kOk, "ignored")), std::invalid_argument);
  CHECK(v.value_or(7) == 42);
  CHECK(e.value_or(7) == 7);
  CHECK(StatusOr<std::string>(Status(ErrorKind::kTimeout, "late")).value_or("fallback") == "fallback");
  CHECK(StatusOr<std::string>(std::string("moved")).value_or("fallback") == "moved");
}

TEST_CASE("every accessor of an OK status is safe") {
  const Status ok;
  CHECK(ok.ok());
  CHECK(ok.kind() == ErrorKind::kOk);
  CHECK(ToString(ok.kind()) == "ok");
  CHECK(ok.ToString() == "ok");
  CHECK(ok.message().empty());
  CHECK(ok.http_status() == 0);
  CHECK(ok.fault_code().empty());
  CHECK(ok.fault_string().empty());
  CHECK(ok.fault_detail().empty());
  CHECK_FALSE(ok.request_may_have_been_sent());
  // Setters leave an OK status OK and empty.
  Status still_ok = Status(ErrorKind::kOk, "x");
  still_ok.set_http_status(500).set_fault("c", "s", "d").set_request_may_have_been_sent(true);
  CHECK(still_ok.ok());
  CHECK(still_ok.message().empty());
  CHECK(still_ok.http_status() == 0);
  CHECK(still_ok.fault_string().empty());
  CHECK_FALSE(still_ok.request_may_have_been_sent());
  CHECK(ToString(ErrorKind::kUnimplemented) == "unimplemented");
  Status failed(ErrorKind::kSoapFault, "f");
  CHECK_FALSE(failed.request_may_have_been_sent());
  CHECK(failed.set_request_may_have_been_sent(true).request_may_have_been_sent());
}

TEST_CASE("Options defaults are finite and safe") {
  Options o;
  CHECK(o.soap_version == SoapVersion::kSoap11);
  CHECK(o.connect_timeout.count() > 0);
  CHECK(o.io_timeout.count() > 0);
  CHECK(o.deadline.count() > 0);
  CHECK_FALSE(o.insecure_skip_peer_verification);
  CHECK_FALSE(o.insecure_skip_host_verification);
  CHECK(o.keep_alive);
  CHECK(o.max_idle_time < std::chrono::seconds(15));
  CHECK(o.max_response_bytes == 8u * 1024 * 1024);
}

namespace {
// An application's own test double at the seam the library offers.
class FakeConnection : public Connection {
 public:
  StatusOr<ServiceResult> ConfirmCustomerUserMfa(const CustomerInfo& customer) override {
    seen_email = customer.email.value_or("");
    ServiceResult r;
    r.code = SuccessCode::kOther;
    r.raw_code = "OTHER";
    r.message = "Invalid MFA code";
    return r;
  }
  std::string seen_email;
};
}  // namespace

TEST_CASE("a Client works over an application's own Connection, and copies share it") {
  auto fake = std::make_shared<FakeConnection>();
  Client client(fake);
  Client copy = client;
  CustomerInfo customer;
  customer.email = "jane@example.com";
  auto result = copy.ConfirmCustomerUserMfa(customer);
  REQUIRE(result.ok());
  CHECK(result->code == SuccessCode::kOther);
  CHECK_FALSE(result->succeeded());
  CHECK(fake->seen_email == "jane@example.com");
}

TEST_CASE("MakeConnection refuses endpoints and credentials it cannot use") {
  auto check_invalid = [](Options o, ApiCredentials c) {
    auto conn = MakeConnection(std::move(o), std::move(c));
    REQUIRE_FALSE(conn.ok());
    CHECK(conn.status().kind() == ErrorKind::kInvalidArgument);
    return conn.status().message();
  };
  Options o;
  for (const char* endpoint : {"", "ftp://host/x", "host/x", "http://", "https:///path", "http://ho st/"}) {
    CAPTURE(endpoint);
    o.endpoint = endpoint;
    check_invalid(o, {"u", Secret("p")});
  }
  o.endpoint = "http://127.0.0.1:1/x";
  std::string message = check_invalid(o, {"u", Secret(std::string("pa\x01ss"))});
  CHECK(message.find("UserInfo.Password") != std::string::npos);
  CHECK(message.find("pa") == std::string::npos);
  o.deadline = std::chrono::milliseconds(0);
  check_invalid(o, {"u", Secret("p")});
}
