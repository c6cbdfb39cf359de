// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// brightoffice-mfa as a user meets issue 11 (class 1: where a request goes; class 2: a TLS
// certificate's subject carrying a secret) and issue 12 (the JSON "requestMayHaveBeenSent"):
// - an endpoint with an empty host (from --endpoint or BRIGHTOFFICE_ENDPOINT): exit 2, one
//   invalid_argument JSON object and nothing else on stdout, stdin never read;
// - '@', a port above 65535 or with junk: exit 2 and no connection anywhere, also with a proxy
//   from the environment (which must not see the request either);
// - 1023 characters reach the request line intact, 1024 are refused; upper-case schemes and
//   hosts work, NO_PROXY included; proxy URLs by the same rules, never quoting their password;
// - a certificate whose subject names a secret is refused without showing it;
// - every failure object carries "requestMayHaveBeenSent" as a JSON boolean.

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "canned_server.h"
#include "child.h"
#include "process.h"
#include "program_checks.h"
#include "scripted_server.h"
#include "test_certs.h"

using brightoffice::tests::ChildResult;
using brightoffice::tests::RunProgram;
using brightoffice::tests::ScriptedAnswer;
using brightoffice::tests::ScriptedRequest;
using brightoffice::tests::ScriptedServer;
using brightoffice::tests::TestPki;
using nlohmann::json;

namespace {

const std::string kMfa = BRIGHTOFFICE_MFA_PATH;
constexpr char kPath[] = "/Webservices/BrightOfficeAPI.asmx";
const std::vector<std::string> kSecrets = {"api-secret", "Cust0merPw", "N3wPassw0rd", "424242"};

std::map<std::string, std::string> Env(const std::map<std::string, std::string>& overrides = {}) {
  return brightoffice::tests::WithOverrides({{"BRIGHTOFFICE_USERNAME", "api-user"},
                                             {"BRIGHTOFFICE_PASSWORD", "api-secret"},
                                             {"BRIGHTOFFICE_MFA_CODE", "424242"},
                                             {"BRIGHTOFFICE_CUSTOMER_PASSWORD", "Cust0merPw"},
                                             {"BRIGHTOFFICE_NEW_PASSWORD", "N3wPassw0rd"}},
                                            overrides);
}

// What a server would answer: read from stdin, the call would "succeed".
std::string AnswerOnStdin() { return brightoffice::tests::HttpAnswer(brightoffice::tests::SoapResult("from stdin")); }

ChildResult Confirm(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = Env()) {
  std::vector<std::string> argv = {kMfa, "confirm"};
  if (std::find(args.begin(), args.end(), "--timeout") == args.end()) {
    argv.push_back("--timeout");
    argv.push_back("3");
  }
  if (std::find(args.begin(), args.end(), "--email") == args.end()) {
    argv.push_back("--email");
    argv.push_back("jane@example.com");
  }
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProgram(argv, env, AnswerOnStdin(), 20);
}

void CheckNoSecrets(const ChildResult& r) { brightoffice::tests::CheckNotPrinted(r, kSecrets); }

json OneJsonLine(const ChildResult& r) { return brightoffice::tests::OneJsonLine<json>(r); }

// Exit 2, one invalid_argument object (with --json) or nothing (without) on stdout, stdin
// untouched, no secret anywhere.
void CheckRefused(const ChildResult& r, bool as_json) {
  INFO("exit " << r.exit_code << " stdout: " << r.out << " stderr: " << r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.stdin_unread == r.stdin_given);
  CheckNoSecrets(r);
  if (as_json) {
    const json j = OneJsonLine(r);
    REQUIRE(j.contains("error"));
    CHECK(j["error"]["kind"] == "invalid_argument");
  } else {
    CHECK(r.out.empty());
  }
}

std::string Port(const ScriptedServer& s) { return std::to_string(s.port()); }

}  // namespace

TEST_CASE("CLI: an endpoint with an empty host: exit 2, nothing else on stdout, stdin never read") {
  for (const std::string endpoint : {"http://?x", "http:///x", "https://:443/", "HTTP://?", "http://:80/x", "http://#x"}) {
    CAPTURE(endpoint);
    for (bool as_json : {false, true}) {
      CAPTURE(as_json);
      std::vector<std::string> args = {"--endpoint", endpoint};
      if (as_json) args.push_back("--json");
      CheckRefused(Confirm(args), as_json);
      // The same from BRIGHTOFFICE_ENDPOINT, and with --trace (nothing may be traced either).
      std::vector<std::string> traced = {"--trace"};
      if (as_json) traced.push_back("--json");
      const ChildResult from_env = Confirm(traced, Env({{"BRIGHTOFFICE_ENDPOINT", endpoint}}));
      CheckRefused(from_env, as_json);
      CHECK(from_env.err.find("POST") == std::string::npos);
    }
  }
}

TEST_CASE("CLI: '@', a port above 65535 or with junk: exit 2, no connection anywhere, a proxy included") {
  ScriptedServer before(brightoffice::tests::TaggedScript()), after(brightoffice::tests::TaggedScript()), proxy(brightoffice::tests::TaggedScript());
  const std::string a = "127.0.0.1:" + Port(before), b = "127.0.0.1:" + Port(after);
  const std::string proxy_url = "http://127.0.0.1:" + Port(proxy);
  const std::vector<std::string> endpoints = {
      "http://" + a + "/x@" + b + "/y",
      "http://" + a + "/?next=u@" + b,
      "http://" + a + "@" + b + "/",
      "http://user:pw@" + b + kPath,
      "http://127.0.0.1:" + std::to_string(before.port() + 65536) + kPath,
      "http://" + a + "junk" + kPath,
      "http://" + a + ":1" + kPath,
  };
  for (const std::string& endpoint : endpoints) {
    CAPTURE(endpoint);
    CheckRefused(Confirm({"--endpoint", endpoint, "--json"}), true);
    CheckRefused(Confirm({"--endpoint", endpoint, "--json"}, Env({{"HTTP_PROXY", proxy_url}})), true);
    CheckRefused(Confirm({"--endpoint", endpoint, "--proxy", proxy_url}), false);
  }
  CHECK(before.connections() == 0);
  CHECK(after.connections() == 0);
  CHECK(proxy.connections() == 0);
}

TEST_CASE("CLI: 1023 characters reach the request line intact, 1024 are refused") {
  ScriptedServer server(brightoffice::tests::TaggedScript());
  const std::string head = "http://127.0.0.1:" + Port(server) + kPath + "?pad=";
  const std::string endpoint = head + std::string(1023 - head.size(), 'z');
  const ChildResult ok = Confirm({"--endpoint", endpoint, "--json"});
  INFO(ok.out << ok.err);
  CHECK(ok.exit_code == 0);
  REQUIRE(server.requests().size() == 1);
  CHECK(server.requests()[0].RequestLine() == "POST " + endpoint.substr(endpoint.find(kPath)) + " HTTP/1.1");
  CheckRefused(Confirm({"--endpoint", endpoint + "z", "--json"}), true);
  CHECK(server.requests().size() == 1);
}

TEST_CASE("CLI: upper-case schemes and hosts work, with proxies and NO_PROXY") {
  ScriptedServer server(brightoffice::tests::TaggedScript()), proxy(brightoffice::tests::TaggedScript());
  const std::string proxy_url = "http://127.0.0.1:" + Port(proxy);
  {
    const ChildResult r = Confirm({"--endpoint", "HTTP://127.0.0.1:" + Port(server) + kPath, "--json"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(server.requests().size() == 1);
  }
  {  // HTTP_PROXY applies to an HTTP:// endpoint...
    const ChildResult r = Confirm({"--endpoint", "HTTP://LOCALHOST:" + Port(server) + kPath, "--json"},
                                  Env({{"HTTP_PROXY", proxy_url}}));
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(proxy.requests().size() == 1);
  }
  {  // ...unless NO_PROXY names its host, in whatever case the endpoint writes it.
    const ChildResult r = Confirm({"--endpoint", "HTTP://LOCALHOST:" + Port(server) + kPath, "--json"},
                                  Env({{"HTTP_PROXY", proxy_url}, {"NO_PROXY", "localhost"}}));
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(proxy.requests().size() == 1);
    CHECK(server.requests().size() == 2);
  }
  {  // An HTTPS:// endpoint in upper case is HTTPS: TLS, through HTTPS_PROXY's tunnel when set.
    const auto& pki = TestPki::Get();
    ScriptedServer secure(brightoffice::tests::TlsOptions(pki.localhost), brightoffice::tests::TaggedScript());
    const ChildResult r = Confirm({"--endpoint", "HTTPS://localhost:" + Port(secure) + kPath, "--ca-file", pki.ca_file, "--json"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(secure.handshakes_completed() == 1);
  }
}

TEST_CASE("CLI: proxy URLs by the same host and port rules, never quoting their password") {
  ScriptedServer server(brightoffice::tests::TaggedScript());
  const std::string endpoint = "http://127.0.0.1:" + Port(server) + kPath;
  const std::vector<std::string> bad = {
      "http://proxyuser:S3cretProxyPw@127.0.0.1:99999",  "http://proxyuser:S3cretProxyPw@127.0.0.1:80junk",
      "http://proxyuser:S3cretProxyPw@",                  "http://proxyuser:S3cretProxyPw@:8080",
      "https://proxyuser:S3cretProxyPw@127.0.0.1:3128",  "http://proxyuser:S3cretProxyPw@127.1:3128",
      "http://proxyuser:S3cretProxyPw@127.0.0.1:3128/x", "http://proxyuser:S3cretProxyPw@ho st:3128",
  };
  for (const std::string& url : bad) {
    CAPTURE(url);
    for (bool as_json : {false, true}) {
      std::vector<std::string> args = {"--endpoint", endpoint};
      if (as_json) args.push_back("--json");
      const ChildResult r = Confirm(args, Env({{"HTTP_PROXY", url}}));
      CheckRefused(r, as_json);
      CHECK(r.out.find("S3cretProxyPw") == std::string::npos);
      CHECK(r.err.find("S3cretProxyPw") == std::string::npos);
      CHECK((r.out + r.err).find("HTTP_PROXY") != std::string::npos);  // names the source
    }
  }
  CHECK(server.connections() == 0);
}

TEST_CASE("CLI: a certificate whose subject carries a secret is refused without showing it") {
  const auto& pki = TestPki::Get();
  const auto leaf = pki.MakeLeaf("cli-secret-subject", "api-secret", "424242", TestPki::Signer::kSelf);
  ScriptedServer server(brightoffice::tests::TlsOptions(leaf), brightoffice::tests::TaggedScript());
  for (bool as_json : {false, true}) {
    std::vector<std::string> args = {"--endpoint", server.endpoint("localhost"), "--ca-file", pki.ca_file, "--trace"};
    if (as_json) args.push_back("--json");
    const ChildResult r = Confirm(args);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 4);
    CheckNoSecrets(r);
    CHECK((r.out + r.err).find("self-signed") != std::string::npos);
  }
}

TEST_CASE("CLI --json: every failure object has requestMayHaveBeenSent, a JSON boolean") {
  struct Case {
    std::string name;
    std::vector<std::string> args;
    int exit_code;
    bool sent;
  };
  ScriptedServer fault([](const ScriptedRequest&) {
    return ScriptedAnswer::Once(brightoffice::tests::HttpAnswer(brightoffice::tests::SoapFault("no"), 500));
  });
  ScriptedServer silent([](const ScriptedRequest&) {
    ScriptedAnswer a;
    a.then = ScriptedAnswer::Then::kHold;
    return a;
  });
  ScriptedServer html([](const ScriptedRequest&) {
    ScriptedAnswer a;
    a.Add(brightoffice::tests::HttpAnswer("<html/>", 503));
    return a;
  });
  const std::string refused = "http://127.0.0.1:" + std::to_string(brightoffice::tests::UnusedPort()) + kPath;
  const std::vector<Case> cases = {
      {"connection refused", {"--endpoint", refused}, 4, false},
      {"TLS to a plain server", {"--endpoint", "https://127.0.0.1:" + Port(html) + kPath}, 4, false},
      {"a SOAP fault", {"--endpoint", fault.endpoint()}, 4, true},
      {"an HTTP 503", {"--endpoint", html.endpoint()}, 4, true},
      {"a timeout after sending", {"--endpoint", silent.endpoint(), "--timeout", "1"}, 4, true},
      {"an invalid endpoint", {"--endpoint", "http://?x"}, 2, false},
      {"a usage error: bad guid", {"--endpoint", fault.endpoint(), "--id", "not-a-guid"}, 2, false},
      {"text XML cannot carry", {"--endpoint", fault.endpoint(), "--email", std::string("a\x01@example.com")}, 2, false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    std::vector<std::string> args = c.args;
    args.push_back("--json");
    const ChildResult r = Confirm(args);
    CHECK(r.exit_code == c.exit_code);
    const json j = OneJsonLine(r);
    REQUIRE(j.contains("error"));
    REQUIRE(j.contains("requestMayHaveBeenSent"));
    CHECK(j["requestMayHaveBeenSent"].is_boolean());
    if (j["requestMayHaveBeenSent"].is_boolean()) CHECK(j["requestMayHaveBeenSent"].get<bool>() == c.sent);
  }
}
