// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// Options that cannot be honoured are refused up front (issue 11, class 3): every duration is
// positive and at most 24 h (milliseconds::max() used to overflow into a call that ended at
// once as a timeout), and header text holds no CR, LF or NUL (a User-Agent or proxy user name
// with CRLF would inject headers). MakeConnection and Client::Create answer kInvalidArgument
// naming the option, and nothing is sent. The largest values allowed work.

#include <doctest/doctest.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "brightoffice/client.h"
#include "brightoffice/connection.h"
#include "scripted_server.h"

using namespace brightoffice;
using brightoffice::tests::ScriptedAnswer;
using brightoffice::tests::ScriptedRequest;
using brightoffice::tests::ScriptedServer;
using std::chrono::milliseconds;

namespace {

using Ms = milliseconds;
constexpr Ms kDay = std::chrono::hours(24);

struct Duration {
  const char* name;
  Ms Options::*field;
};

const Duration kDurations[] = {
    {"deadline", &Options::deadline},
    {"io_timeout", &Options::io_timeout},
    {"connect_timeout", &Options::connect_timeout},
    {"max_idle_time", &Options::max_idle_time},
};

// Both entry points refuse `o` with kInvalidArgument, the message naming `what`.
void CheckRefused(const Options& o, const std::string& what) {
  auto client = Client::Create(o, {"api-user", Secret("api-secret")});
  INFO(client.status().ToString());
  CHECK_FALSE(client.ok());
  if (!client.ok()) {
    CHECK(client.status().kind() == ErrorKind::kInvalidArgument);
    CHECK(client.status().message().find(what) != std::string::npos);
  }
  auto connection = MakeConnection(o, {"api-user", Secret("api-secret")});
  CHECK_FALSE(connection.ok());
  if (!connection.ok()) CHECK(connection.status().kind() == ErrorKind::kInvalidArgument);
}

StatusOr<ServiceResult> CallWith(const Options& o) {
  auto client = Client::Create(o, {"api-user", Secret("api-secret")});
  if (!client.ok()) return client.status();
  CustomerInfo c;
  c.email = "jane@example.com";
  c.mfa_code = Secret("123456");
  return client->ConfirmCustomerUserMfa(c);
}

}  // namespace

TEST_CASE("durations that overflow, exceed 24 h, or are not positive are refused") {
  ScriptedServer server(tests::TaggedScript());
  const std::vector<std::pair<const char*, Ms>> bad = {
      {"max()", Ms::max()},
      {"min()", Ms::min()},
      {"24 h + 1 ms", kDay + Ms(1)},
      {"25 h", std::chrono::hours(25)},
      {"a year", std::chrono::hours(24 * 366)},
      {"2^31 ms", Ms(2147483648LL)},
      {"-1 ms", Ms(-1)},
      {"-24 h", -kDay},
  };
  for (const Duration& d : kDurations) {
    for (const auto& [label, value] : bad) {
      CAPTURE(std::string(d.name));
      CAPTURE(std::string(label));
      Options o;
      o.endpoint = server.endpoint();
      o.*d.field = value;
      CheckRefused(o, d.name);
    }
  }
  // Zero is refused for the three that bound a wait (zero idle time would merely mean "never
  // reuse", so it is not asserted either way).
  for (const Duration& d : kDurations) {
    if (std::string(d.name) == "max_idle_time") continue;
    CAPTURE(std::string(d.name));
    Options o;
    o.endpoint = server.endpoint();
    o.*d.field = Ms(0);
    CheckRefused(o, d.name);
  }
  CHECK(server.connections() == 0);
}

TEST_CASE("every duration at exactly 24 h is accepted and a call with them works") {
  ScriptedServer server(tests::TaggedScript());
  Options o;
  o.endpoint = server.endpoint();
  for (const Duration& d : kDurations) o.*d.field = kDay;
  auto r = CallWith(o);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  CHECK(r->message.value_or("") == "jane@example.com");
  // and the smallest: 1 ms of connect timeout still connects on loopback or times out cleanly
  Options tiny = o;
  tiny.connect_timeout = Ms(1);
  auto small = CallWith(tiny);
  CHECK((small.ok() || small.status().kind() == ErrorKind::kTimeout));
}

TEST_CASE("the call does not end at once with a huge but allowed deadline (no overflow inside)") {
  ScriptedServer server(tests::TaggedScript(milliseconds(300)));
  Options o;
  o.endpoint = server.endpoint();
  o.deadline = kDay;
  o.io_timeout = kDay - Ms(1);
  o.connect_timeout = kDay - Ms(7);
  auto r = CallWith(o);
  INFO(r.status().ToString());
  CHECK(r.ok());
}

TEST_CASE("header text with CR, LF or NUL is refused: user_agent, proxy_username, proxy_password") {
  ScriptedServer server(tests::TaggedScript());
  const std::vector<std::string> bad = {"agent\r\nX-Injected: 1", "agent\n", "agent\r", "\r\n", "a\rb",
                                        std::string("agent\0x", 7), "agent\nX-Injected: 1"};
  for (const std::string& text : bad) {
    CAPTURE(text);
    Options ua;
    ua.endpoint = server.endpoint();
    ua.user_agent = text;
    CheckRefused(ua, "user_agent");

    Options user;
    user.endpoint = server.endpoint();
    user.proxy_host = "127.0.0.1";
    user.proxy_port = server.port();
    user.proxy_username = text;
    user.proxy_password = Secret("pw");
    CheckRefused(user, "proxy_username");

    Options password = user;
    password.proxy_username = "user";
    password.proxy_password = Secret(text);
    CheckRefused(password, "proxy_password");
  }
  CHECK(server.connections() == 0);
}

TEST_CASE("ordinary header text works and reaches the server as given") {
  ScriptedServer server(tests::TaggedScript());
  Options o;
  o.endpoint = server.endpoint();
  o.user_agent = "portal/2.1 (build 7; +https://portal.example/about)";
  auto r = CallWith(o);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  REQUIRE(server.requests().size() == 1);
  CHECK(server.requests()[0].head.find("\r\nUser-Agent: portal/2.1 (build 7; +https://portal.example/about)\r\n") !=
        std::string::npos);
  // Text that reads like a header of its own, without the CR LF that would start one, stays
  // inside the User-Agent line: no header line "X-Injected" reaches the server.
  o.user_agent = "portal/2.1 X-Injected: 1";
  auto r2 = CallWith(o);
  INFO(r2.status().ToString());
  REQUIRE(r2.ok());
  REQUIRE(server.requests().size() == 2);
  CHECK(server.requests()[1].head.find("\r\nUser-Agent: portal/2.1 X-Injected: 1\r\n") != std::string::npos);
  CHECK(server.requests()[1].head.find("\nX-Injected") == std::string::npos);
  CHECK(server.requests()[1].head.find("\rX-Injected") == std::string::npos);
}
