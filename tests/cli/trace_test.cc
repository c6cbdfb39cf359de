// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// brightoffice-mfa --trace: every command-line path, and every case of the hostile-response
// corpus, with the wire trace on; no secret (raw, XML-escaped, or inside a Basic
// Proxy-Authorization header) may appear in stdout or stderr, and the trace must be there.

#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "canned_server.h"
#include "corpus.h"
#include "process.h"
#include "secret_scan.h"
#include "program_checks.h"
#include "test_certs.h"
#include "tinyproxy.h"

using brightoffice::tests::BackgroundProcess;
using brightoffice::tests::CannedReply;
using brightoffice::tests::CannedServer;
using brightoffice::tests::ProcessResult;
using brightoffice::tests::RunProcess;

namespace {

const std::string kMfa = BRIGHTOFFICE_MFA_PATH;
const std::string kMock = BRIGHTOFFICE_MOCK_PATH;

// Secrets with characters XML escapes, and every form they can take on the wire.
const char kApiPassword[] = "api-p&ss<w>rd";  // as echoed by the corpus case fault_echoing_secrets
const char kMfaCode[] = "98&7<65";
const char kProxyPassword[] = "Pr0xy.Pass";
const std::vector<std::string> kForbidden = {
    kApiPassword, "api-p&amp;ss&lt;w&gt;rd", "api-p&amp;ss&lt;w>rd", kMfaCode, "98&amp;7&lt;65", "98&#38;7&#60;65",
    "Cust0merPw", "Temp0raryPw", "N3wPassw0rd", kProxyPassword,
    "cHJveHl1c2VyOlByMHh5LlBhc3M=",  // base64("proxyuser:Pr0xy.Pass")
};

std::map<std::string, std::string> Env(const std::map<std::string, std::string>& overrides = {}) {
  return brightoffice::tests::WithOverrides({{"BRIGHTOFFICE_USERNAME", "api-user"},
                                             {"BRIGHTOFFICE_PASSWORD", kApiPassword},
                                             {"BRIGHTOFFICE_MFA_CODE", kMfaCode},
                                             {"BRIGHTOFFICE_CUSTOMER_PASSWORD", "Cust0merPw"},
                                             {"BRIGHTOFFICE_TEMPORARY_PASSWORD", "Temp0raryPw"},
                                             {"BRIGHTOFFICE_NEW_PASSWORD", "N3wPassw0rd"}},
                                            overrides);
}

void CheckNoSecrets(const ProcessResult& r) { brightoffice::tests::CheckNotPrinted(r, kForbidden); }

// The trace of a call that reached a server: the request with its secrets hidden.
void CheckTraced(const ProcessResult& r) {
  INFO(r.err);
  CHECK(r.err.find("brightoffice-mfa: trace: ") != std::string::npos);
  CHECK(r.err.find("POST ") != std::string::npos);
  CHECK(r.err.find(":Password>***</") != std::string::npos);
  CHECK(r.err.find(":MFACode>***</") != std::string::npos);
}

ProcessResult Confirm(const std::string& endpoint, std::vector<std::string> args,
                      std::map<std::string, std::string> env = Env(), const char* subcommand = "confirm") {
  std::vector<std::string> argv = {kMfa, subcommand, "--endpoint", endpoint, "--trace"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess(argv, env);
}

std::string MockEndpoint(BackgroundProcess& mock) { return brightoffice::tests::ListeningEndpoint(mock); }

}  // namespace

TEST_CASE("--trace on every path against the mock: SOAP 1.1 and 1.2, text and JSON, code from env and flag") {
  BackgroundProcess mock({kMock});
  const std::string ep = MockEndpoint(mock);
  for (const char* soap : {"1.1", "1.2"}) {
    for (bool json : {false, true}) {
      std::vector<std::string> args = {"--email", "jane@example.com", "--soap", soap};
      if (json) args.push_back("--json");
      auto r = Confirm(ep, args);
      CAPTURE(soap);
      CAPTURE(json);
      CHECK((r.exit_code == 0 || r.exit_code == 3));
      CheckTraced(r);
      CheckNoSecrets(r);
      // The response is traced too.
      CHECK(r.err.find("HTTP/1.1 200") != std::string::npos);
      CHECK(r.err.find("ConfirmCustomerUserMFAResult") != std::string::npos);
    }
  }
  // send-reset: the same trace, its own operation.
  auto reset = Confirm(ep, {"--email", "jane@example.com", "--json"}, Env(), "send-reset");
  CHECK((reset.exit_code == 0 || reset.exit_code == 3));
  CheckTraced(reset);
  CheckNoSecrets(reset);
  CHECK(reset.err.find("CustomerUserSendResetPasswordResult") != std::string::npos);
  auto flag = Confirm(ep, {"--email", "jane@example.com", "--mfa-code", "123456", "--id",
                           "3f2504e0-4f89-11d3-9a0c-0305e82c3301"},
                      Env({{"BRIGHTOFFICE_MFA_CODE", ""}}));
  CheckTraced(flag);
  CheckNoSecrets(flag);
  CHECK(flag.err.find("123456") == std::string::npos);
}

TEST_CASE("--trace on failure and usage paths") {
  auto refused = Confirm("http://127.0.0.1:" + std::to_string(brightoffice::tests::UnusedPort()) + "/x",
                         {"--email", "jane@example.com", "--json"});
  CHECK(refused.exit_code == 4);
  CheckNoSecrets(refused);
  auto usage = Confirm("http://127.0.0.1:1/x", {"--email", "jane@example.com", "--id", "not-a-guid"});
  CHECK(usage.exit_code == 2);
  CheckNoSecrets(usage);
  auto no_password = Confirm("http://127.0.0.1:1/x", {"--email", "jane@example.com"},
                             Env({{"BRIGHTOFFICE_PASSWORD", ""}}));
  CHECK(no_password.exit_code == 2);
  CheckNoSecrets(no_password);
  auto bad_text = Confirm("http://127.0.0.1:1/x", {"--email", "jane@example.com"},
                          Env({{"BRIGHTOFFICE_NEW_PASSWORD", std::string("N3wPassw0rd\x01", 12)}}));
  CHECK(bad_text.exit_code == 2);
  CheckNoSecrets(bad_text);
}

TEST_CASE("--trace through a proxy with credentials: Proxy-Authorization is hidden whole") {
  using brightoffice::tests::TinyProxy;
  TinyProxy proxy("proxyuser", kProxyPassword);
  const std::string with_auth = "http://proxyuser:" + std::string(kProxyPassword) + "@127.0.0.1:" +
                                std::to_string(proxy.port());
  {  // Plain HTTP: the header travels with the POST itself.
    BackgroundProcess mock({kMock});
    const std::string ep = MockEndpoint(mock);
    auto r = Confirm(ep, {"--email", "jane@example.com", "--json"}, Env({{"HTTP_PROXY", with_auth}}));
    INFO(r.out << r.err << proxy.Log());
    CHECK(r.exit_code != 4);
    CheckTraced(r);
    CheckNoSecrets(r);
    CHECK(r.err.find("Proxy-Authorization: ***") != std::string::npos);
  }
  {  // HTTPS: the header travels with the CONNECT, which is traced too.
    const auto& pki = brightoffice::tests::TestPki::Get();
    BackgroundProcess mock({kMock, "--tls-cert", pki.localhost.cert, "--tls-key", pki.localhost.key});
    std::string ep = MockEndpoint(mock);
    ep.replace(ep.find("127.0.0.1"), 9, "localhost");
    auto r = Confirm(ep, {"--email", "jane@example.com", "--ca-file", pki.ca_file},
                     Env({{"HTTPS_PROXY", with_auth}}));
    INFO(r.out << r.err << proxy.Log());
    CHECK(r.exit_code != 4);
    CheckTraced(r);
    CheckNoSecrets(r);
    CHECK(r.err.find("CONNECT localhost:") != std::string::npos);
    CHECK(r.err.find("Proxy-Authorization: ***") != std::string::npos);
  }
}

namespace {

// The corpus's own secrets (the ones its cases echo), checked in every form a reader can undo
// at sight (tests/support/secret_scan.h).
std::map<std::string, std::string> CorpusEnv() {
  using brightoffice::tests::CorpusSecrets;
  return {{"BRIGHTOFFICE_USERNAME", "api-user"},
          {"BRIGHTOFFICE_PASSWORD", CorpusSecrets::kApiPassword},
          {"BRIGHTOFFICE_MFA_CODE", CorpusSecrets::kMfaCode},
          {"BRIGHTOFFICE_CUSTOMER_PASSWORD", CorpusSecrets::kCustomerPassword},
          {"BRIGHTOFFICE_TEMPORARY_PASSWORD", CorpusSecrets::kTemporaryPassword},
          {"BRIGHTOFFICE_NEW_PASSWORD", CorpusSecrets::kNewPassword}};
}

void CheckNoCorpusSecrets(const ProcessResult& r) {
  CHECK(brightoffice::tests::ShownSecret(r.out, brightoffice::tests::CorpusSecrets::All()) == "");
  CHECK(brightoffice::tests::ShownSecret(r.err, brightoffice::tests::CorpusSecrets::All()) == "");
}

}  // namespace

TEST_CASE("--trace on every case of the hostile-response corpus") {
  const auto corpus = brightoffice::tests::ReadHostileCorpus(BRIGHTOFFICE_HOSTILE_DIR);
  REQUIRE(corpus.size() >= 30);
  for (const auto& c : corpus) {
    CAPTURE(c.name);
    CannedReply reply;
    const std::string behaviour = c.get("behaviour", "close");
    if (behaviour == "silent") reply.behaviour = CannedReply::Behaviour::kSilent;
    if (behaviour == "drop") reply.behaviour = CannedReply::Behaviour::kClose;
    reply.bytes = c.bytes;
    reply.close_after = behaviour != "hold";
    CannedServer server(reply);
    const double seconds = std::stoi(c.get("deadline", "3000")) / 1000.0;
    auto r = Confirm(server.endpoint(), {"--email", "jane@example.com", "--json", "--soap", c.get("soap", "1.1"),
                                         "--timeout", std::to_string(seconds)},
                     CorpusEnv(), c.IsReset() ? "send-reset" : "confirm");
    // One outcome, or several separated by '|' when each of them is right (HostileCase::Allows).
    const std::size_t kind_at = r.out.find("\"kind\":\"");
    const std::string kind =
        kind_at == std::string::npos ? "result" : r.out.substr(kind_at + 8, r.out.find('"', kind_at + 8) - kind_at - 8);
    CAPTURE(r.out);
    CHECK_MESSAGE(c.Allows(kind), "expected " << c.get("expect") << ", got " << kind);
    CHECK(r.exit_code == (kind == "result" ? (r.exit_code == 3 ? 3 : 0) : 4));
    CheckTraced(r);
    CheckNoCorpusSecrets(r);
  }
}
