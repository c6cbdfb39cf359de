// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// brightoffice-mfa and brightoffice-mock as programs: exit statuses, JSON output, usage
// errors, and no secret in anything they print.

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

#include "canned_server.h"
#include "process.h"
#include "program_checks.h"
#include "test_certs.h"
#include "time_scale.h"
#include "tinyproxy.h"

using brightoffice::tests::BackgroundProcess;
using brightoffice::tests::ProcessResult;
using brightoffice::tests::RunProcess;
using nlohmann::json;

namespace {

const std::string kMfa = BRIGHTOFFICE_MFA_PATH;
const std::string kMock = BRIGHTOFFICE_MOCK_PATH;
// Secrets used below; none may ever appear in what the programs print.
const std::vector<std::string> kSecrets = {"api-secret", "Cust0merPw", "Temp0raryPw", "N3wPassw0rd", "123456", "boom"};

std::map<std::string, std::string> Env(const std::map<std::string, std::string>& overrides = {}) {
  return brightoffice::tests::WithOverrides({{"BRIGHTOFFICE_USERNAME", "api-user"},
                                             {"BRIGHTOFFICE_PASSWORD", "api-secret"},
                                             {"BRIGHTOFFICE_CUSTOMER_PASSWORD", "Cust0merPw"},
                                             {"BRIGHTOFFICE_TEMPORARY_PASSWORD", "Temp0raryPw"},
                                             {"BRIGHTOFFICE_NEW_PASSWORD", "N3wPassw0rd"}},
                                            overrides);
}

void CheckNoSecrets(const ProcessResult& r) { brightoffice::tests::CheckNotPrinted(r, kSecrets); }

// An HTTPS mock's endpoint with the host name its certificate names (it announces 127.0.0.1).
std::string HttpsLocalhost(BackgroundProcess& mock) {
  const std::string ep = brightoffice::tests::ListeningEndpoint(mock);
  const std::string prefix = "https://127.0.0.1:";
  REQUIRE(ep.rfind(prefix, 0) == 0);
  return "https://localhost:" + ep.substr(prefix.size());
}

json OneJsonLine(const ProcessResult& r) { return brightoffice::tests::OneJsonLine<json>(r); }

struct Mock {
  BackgroundProcess process{{kMock}};
  std::string endpoint;
  Mock() {
    endpoint = brightoffice::tests::ListeningEndpoint(process);
    const std::string prefix = "http://127.0.0.1:";
    REQUIRE(endpoint.rfind(prefix, 0) == 0);
    REQUIRE(endpoint.size() > prefix.size());
    REQUIRE(endpoint.find("/Webservices/BrightOfficeAPI.asmx") != std::string::npos);
  }
};

ProcessResult Confirm(const std::string& endpoint, std::vector<std::string> args,
                      std::map<std::string, std::string> env = Env()) {
  std::vector<std::string> argv = {kMfa, "confirm", "--endpoint", endpoint};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess(argv, env);
}

}  // namespace

TEST_CASE("demo prints a SUCCESS result and exits 0") {
  auto r = RunProcess({kMfa, "demo"}, {});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("successCode: SUCCESS") != std::string::npos);
  auto j = RunProcess({kMfa, "demo", "--json"}, {});
  CHECK(j.exit_code == 0);
  CHECK(OneJsonLine(j)["successCode"] == "SUCCESS");
  CheckNoSecrets(r);
}

TEST_CASE("confirm: exit status and JSON for each kind of answer, over SOAP 1.1 and 1.2") {
  Mock mock;
  for (const char* soap : {"1.1", "1.2"}) {
    CAPTURE(soap);
    auto ok = Confirm(mock.endpoint, {"--email", "jane@example.com", "--id", "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}",
                                      "--soap", soap, "--json"},
                      Env({{"BRIGHTOFFICE_MFA_CODE", "123456"}}));
    CHECK(ok.exit_code == 0);
    json j = OneJsonLine(ok);
    CHECK(j["successCode"] == "SUCCESS");
    CHECK(j["message"] == "MFA confirmed for jane@example.com (3f2504e0-4f89-11d3-9a0c-0305e82c3301) newpw=yes tmppw=yes");
    CHECK(j["exceptionMessage"] == "");
    CHECK(j["isSystemError"] == false);
    CheckNoSecrets(ok);

    auto other = Confirm(mock.endpoint, {"--email", "jane@example.com", "--mfa-code", "999999", "--soap", soap, "--json"});
    CHECK(other.exit_code == 3);
    CHECK(OneJsonLine(other)["successCode"] == "OTHER");

    auto missing = Confirm(mock.endpoint, {"--email", "missing@example.com", "--soap", soap});
    CHECK(missing.exit_code == 3);
    CHECK(missing.out.find("successCode: MISSINGRECORD") != std::string::npos);

    auto login = Confirm(mock.endpoint, {"--email", "jane@example.com", "--soap", soap, "--json"},
                         Env({{"BRIGHTOFFICE_PASSWORD", "wrong-password"}}));
    CHECK(login.exit_code == 3);
    CHECK(OneJsonLine(login)["successCode"] == "LOGINERROR");
    CHECK(login.out.find("wrong-password") == std::string::npos);

    auto fault = Confirm(mock.endpoint, {"--email", "jane@example.com", "--mfa-code", "boom", "--soap", soap, "--json"});
    CHECK(fault.exit_code == 4);
    json f = OneJsonLine(fault);
    CHECK(f["error"]["kind"] == "soap_fault");
    CHECK(f["httpStatus"] == 500);
    CHECK(f["faultString"] == "Server was unable to process request. ---> Simulated server failure (MFACode=***)");
    CHECK(f.contains("faultCode"));
    CheckNoSecrets(fault);

    auto slow = Confirm(mock.endpoint, {"--email", "jane@example.com", "--mfa-code", "slow", "--timeout", "0.5",
                                        "--soap", soap, "--json"});
    CHECK(slow.exit_code == 4);
    CHECK(OneJsonLine(slow)["error"]["kind"] == "timeout");
    CHECK(slow.seconds < 0.5 + 1.0 * brightoffice::tests::TimeScale());  // the 0.5 s timeout, and slack
  }
}

TEST_CASE("send-reset: exit status and JSON for each kind of answer, over SOAP 1.1 and 1.2") {
  Mock mock;
  auto reset = [&mock](std::vector<std::string> args, std::map<std::string, std::string> env = Env()) {
    std::vector<std::string> argv = {kMfa, "send-reset", "--endpoint", mock.endpoint};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunProcess(argv, env);
  };
  for (const char* soap : {"1.1", "1.2"}) {
    CAPTURE(soap);
    auto ok = reset({"--email", "jane@example.com", "--id", "3F2504E0-4F89-11D3-9A0C-0305E82C3301", "--soap", soap, "--json"});
    CHECK(ok.exit_code == 0);
    json j = OneJsonLine(ok);
    CHECK(j["successCode"] == "SUCCESS");
    CHECK(j["message"] == "Reset password sent to jane@example.com (3f2504e0-4f89-11d3-9a0c-0305e82c3301) newpw=yes tmppw=yes");
    CHECK(j["exceptionMessage"] == "");
    CHECK(j["isSystemError"] == false);
    CheckNoSecrets(ok);
    // Without the optional passwords in the environment, nothing of them is sent: the mock
    // says which of them it received (newpw=/tmppw=: yes, empty or no; src/mock/contract.cc).
    auto bare = reset({"--email", "jane@example.com", "--soap", soap, "--json"},
                      Env({{"BRIGHTOFFICE_NEW_PASSWORD", ""}, {"BRIGHTOFFICE_TEMPORARY_PASSWORD", ""}}));
    CHECK(bare.exit_code == 0);
    json b = OneJsonLine(bare);
    CHECK(b["successCode"] == "SUCCESS");
    CHECK(b["message"] == "Reset password sent to jane@example.com (00000000-0000-0000-0000-000000000000) newpw=no tmppw=no");
    CheckNoSecrets(bare);
    auto missing = reset({"--email", "missing@example.com", "--soap", soap, "--json"});
    CHECK(missing.exit_code == 3);
    CHECK(OneJsonLine(missing)["successCode"] == "MISSINGRECORD");
    // The MFA code comes from the environment only: there is no --mfa-code here.
    auto boom = reset({"--email", "jane@example.com", "--soap", soap, "--json"}, Env({{"BRIGHTOFFICE_MFA_CODE", "boom"}}));
    CHECK(boom.exit_code == 4);
    json f = OneJsonLine(boom);
    CHECK(f["error"]["kind"] == "soap_fault");
    CHECK(f["requestMayHaveBeenSent"] == true);
    CHECK(f["faultString"] == "Server was unable to process request. ---> Simulated server failure (MFACode=***)");
    CheckNoSecrets(boom);
    auto flag = reset({"--email", "jane@example.com", "--mfa-code", "123456", "--soap", soap, "--json"});
    CHECK(flag.exit_code == 2);
    CHECK(OneJsonLine(flag)["error"]["kind"] == "invalid_argument");
    CHECK(flag.out.find("123456") == std::string::npos);
    CHECK(flag.err.find("123456") == std::string::npos);
  }
}

TEST_CASE("--json failure objects always say whether the request may have been sent") {
  Mock mock;
  auto refused = Confirm("http://127.0.0.1:" + std::to_string(brightoffice::tests::UnusedPort()) + "/x",
                         {"--email", "jane@example.com", "--json"});
  CHECK(refused.exit_code == 4);
  CHECK(OneJsonLine(refused)["requestMayHaveBeenSent"] == false);
  auto usage = Confirm(mock.endpoint, {"--email", "jane@example.com", "--id", "nope", "--json"});
  CHECK(usage.exit_code == 2);
  CHECK(OneJsonLine(usage)["requestMayHaveBeenSent"] == false);
  auto slow = Confirm(mock.endpoint, {"--email", "jane@example.com", "--mfa-code", "slow", "--timeout", "0.5", "--json"});
  CHECK(slow.exit_code == 4);
  json t = OneJsonLine(slow);
  CHECK(t["error"]["kind"] == "timeout");
  CHECK(t["requestMayHaveBeenSent"].is_boolean());
  CHECK(t["requestMayHaveBeenSent"] == true);
}

TEST_CASE("usage errors exit 2 before anything is sent") {
  brightoffice::tests::CannedReply reply;
  reply.bytes = brightoffice::tests::HttpResponse(200, "text/xml", "");
  brightoffice::tests::CannedServer server(reply);
  const std::string ep = server.endpoint();

  auto no_user = Confirm(ep, {"--email", "a@example.com"}, Env({{"BRIGHTOFFICE_USERNAME", ""}}));
  CHECK(no_user.exit_code == 2);
  CHECK(no_user.err.find("BRIGHTOFFICE_USERNAME") != std::string::npos);
  auto no_password = Confirm(ep, {"--email", "a@example.com", "--json"}, Env({{"BRIGHTOFFICE_PASSWORD", ""}}));
  CHECK(no_password.exit_code == 2);
  CHECK(OneJsonLine(no_password)["error"]["kind"] == "invalid_argument");
  CHECK(no_password.err.find("BRIGHTOFFICE_PASSWORD") != std::string::npos);
  auto bad_guid = Confirm(ep, {"--email", "a@example.com", "--id", "not-a-guid"});
  CHECK(bad_guid.exit_code == 2);
  CHECK(bad_guid.err.find("--id") != std::string::npos);
  auto bad_text = Confirm(ep, {"--email", "a@example.com", "--json"}, Env({{"BRIGHTOFFICE_MFA_CODE", "12\x01" "3456"}}));
  CHECK(bad_text.exit_code == 2);
  CHECK(OneJsonLine(bad_text)["error"]["kind"] == "invalid_argument");
  CheckNoSecrets(bad_text);
  auto bad_flag = Confirm(ep, {"--email", "a@example.com", "--no-such-flag"});
  CHECK(bad_flag.exit_code == 2);
  auto bad_soap = Confirm(ep, {"--email", "a@example.com", "--soap", "2.0"});
  CHECK(bad_soap.exit_code == 2);
  auto bad_timeout = Confirm(ep, {"--email", "a@example.com", "--timeout", "0"});
  CHECK(bad_timeout.exit_code == 2);
  auto no_email = Confirm(ep, {});
  CHECK(no_email.exit_code == 2);
  auto bad_endpoint = Confirm("ftp://example.com/x", {"--email", "a@example.com"});
  CHECK(bad_endpoint.exit_code == 2);
  auto no_command = RunProcess({kMfa}, {});
  CHECK(no_command.exit_code == 2);
  CHECK(server.connections() == 0);
}

TEST_CASE("--json: usage errors found while reading the command line print the error object too") {
  brightoffice::tests::CannedReply reply;
  reply.bytes = brightoffice::tests::HttpResponse(200, "text/xml", "");
  brightoffice::tests::CannedServer server(reply);
  const std::string ep = server.endpoint();
  const std::vector<std::vector<std::string>> cases = {
      {"--email", "a@example.com", "--soap", "2.0", "--json"},           // a value outside the set
      {"--email", "a@example.com", "--json", "--soap", "1.3"},           // --json before the error
      {"--email", "a@example.com", "--timeout", "soon", "--json"},       // not a number
      {"--email", "a@example.com", "--json", "--no-such-flag"},          // an unknown option
      {"--json"},                                                          // --email missing
      {"--email", "a@example.com", "--ca-file", "/nonexistent/ca.pem", "--json"},
  };
  for (const auto& args : cases) {
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    CAPTURE(joined);
    auto r = Confirm(ep, args);
    CHECK(r.exit_code == 2);
    json j = OneJsonLine(r);
    CHECK(j["error"]["kind"] == "invalid_argument");
    CHECK(!j["error"]["message"].get<std::string>().empty());
    CHECK(!r.err.empty());  // and the message on stderr, as without --json
  }
  // The value of an argument that was not expected is not echoed (it may be a code or password).
  auto typo = Confirm(ep, {"--email", "a@example.com", "--mfa_code", "123456", "--json"});
  CHECK(typo.exit_code == 2);
  CHECK(OneJsonLine(typo)["error"]["message"].get<std::string>().find("--mfa_code") != std::string::npos);
  CheckNoSecrets(typo);
  // Without --json, stdout stays empty.
  auto plain = Confirm(ep, {"--email", "a@example.com", "--soap", "2.0"});
  CHECK(plain.exit_code == 2);
  CHECK(plain.out.empty());
  CHECK(server.connections() == 0);
}

TEST_CASE("--timeout: the range message names both bounds") {
  brightoffice::tests::CannedReply reply;
  reply.bytes = brightoffice::tests::HttpResponse(200, "text/xml", "");
  brightoffice::tests::CannedServer server(reply);
  for (const std::string bad : {"0", "-1", "86400.5", "1e9", "nan", "inf"}) {
    CAPTURE(bad);
    auto r = Confirm(server.endpoint(), {"--email", "a@example.com", "--timeout", bad, "--json"});
    CHECK(r.exit_code == 2);
    const std::string message = OneJsonLine(r)["error"]["message"].get<std::string>();
    CHECK(message.find("above 0") != std::string::npos);
    CHECK(message.find("at most 86400") != std::string::npos);
  }
  CHECK(server.connections() == 0);
}

TEST_CASE("an endpoint with an upper-case scheme works, and picks the proxy of its scheme") {
  Mock mock;
  const std::string upper = "HTTP://" + mock.endpoint.substr(std::string("http://").size());
  auto r = Confirm(upper, {"--email", "jane@example.com", "--mfa-code", "123456", "--json"});
  CHECK(r.exit_code == 0);
  CHECK(OneJsonLine(r)["successCode"] == "SUCCESS");
  // HTTP_PROXY applies to it (a dead proxy: the call fails as a connection error).
  const std::string dead = "http://127.0.0.1:" + std::to_string(brightoffice::tests::UnusedPort());
  auto via_dead = Confirm(upper, {"--email", "jane@example.com", "--mfa-code", "123456", "--json"},
                          Env({{"HTTP_PROXY", dead}}));
  CHECK(via_dead.exit_code == 4);
  CHECK(OneJsonLine(via_dead)["error"]["kind"] == "connection");

  const auto& pki = brightoffice::tests::TestPki::Get();
  BackgroundProcess tls({kMock, "--tls-cert", pki.localhost.cert, "--tls-key", pki.localhost.key});
  const std::string https = HttpsLocalhost(tls);
  const std::string upper_https = "HTTPS://" + https.substr(std::string("https://").size());
  auto s = Confirm(upper_https, {"--email", "jane@example.com", "--mfa-code", "123456", "--ca-file", pki.ca_file, "--json"});
  CHECK(s.exit_code == 0);
  CHECK(OneJsonLine(s)["successCode"] == "SUCCESS");
  // HTTPS_PROXY, not HTTP_PROXY, applies to an HTTPS:// endpoint.
  auto other = Confirm(upper_https, {"--email", "jane@example.com", "--mfa-code", "123456", "--ca-file", pki.ca_file, "--json"},
                       Env({{"HTTP_PROXY", dead}}));
  CHECK(other.exit_code == 0);
  auto https_dead = Confirm(upper_https, {"--email", "jane@example.com", "--mfa-code", "123456", "--ca-file", pki.ca_file, "--json"},
                            Env({{"HTTPS_PROXY", dead}}));
  CHECK(https_dead.exit_code == 4);
  CHECK(OneJsonLine(https_dead)["error"]["kind"] == "connection");
}

TEST_CASE("the endpoint can come from BRIGHTOFFICE_ENDPOINT") {
  Mock mock;
  auto r = RunProcess({kMfa, "confirm", "--email", "jane@example.com", "--json"},
                      Env({{"BRIGHTOFFICE_ENDPOINT", mock.endpoint}, {"BRIGHTOFFICE_MFA_CODE", "123456"}}));
  CHECK(r.exit_code == 0);
  CHECK(OneJsonLine(r)["successCode"] == "SUCCESS");
  auto none = RunProcess({kMfa, "confirm", "--email", "jane@example.com"}, Env());
  CHECK(none.exit_code == 2);
  CHECK(none.err.find("--endpoint") != std::string::npos);
}

TEST_CASE("failures on the way exit 4 with their kind") {
  const int port = brightoffice::tests::UnusedPort();
  auto refused = Confirm("http://127.0.0.1:" + std::to_string(port) + "/Webservices/BrightOfficeAPI.asmx",
                         {"--email", "a@example.com", "--json"});
  CHECK(refused.exit_code == 4);
  CHECK(OneJsonLine(refused)["error"]["kind"] == "connection");

  brightoffice::tests::CannedReply html;
  html.bytes = brightoffice::tests::HttpResponse(500, "text/html", "<html>oops</html>");
  html.close_after = true;
  brightoffice::tests::CannedServer server(html);
  auto r = Confirm(server.endpoint(), {"--email", "a@example.com", "--json"});
  CHECK(r.exit_code == 4);
  json j = OneJsonLine(r);
  CHECK(j["error"]["kind"] == "http_status");
  CHECK(j["httpStatus"] == 500);
}

TEST_CASE("--help, --version") {
  auto help = RunProcess({kMfa, "--help"}, {});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("confirm") != std::string::npos);
  CHECK(help.out.find("demo") != std::string::npos);
  auto version = RunProcess({kMfa, "--version"}, {});
  CHECK(version.exit_code == 0);
  CHECK(version.out.find("brightoffice-mfa 0.") != std::string::npos);
  auto mock_help = RunProcess({kMock, "--help"}, {});
  CHECK(mock_help.exit_code == 0);
  CHECK(mock_help.out.find("--fixtures") != std::string::npos);
  auto mock_bad = RunProcess({kMock, "--fixtures", "/nonexistent.json"}, {});
  CHECK(mock_bad.exit_code == 2);
}

TEST_CASE("brightoffice-mock --record writes each request to a file") {
  char dir_template[] = "/tmp/brightoffice-record-XXXXXX";
  REQUIRE(mkdtemp(dir_template) != nullptr);
  const std::string dir = dir_template;
  {
    BackgroundProcess mock({kMock, "--record", dir, "--latency-ms", "10"});
    auto r = Confirm(brightoffice::tests::ListeningEndpoint(mock),
                     {"--email", "rec@example.com", "--mfa-code", "123456"});
    CHECK(r.exit_code == 0);
  }
  auto cat = RunProcess({"/bin/cat", dir + "/request-000001.http"}, {});
  CHECK(cat.exit_code == 0);
  CHECK(cat.out.rfind("POST /Webservices/BrightOfficeAPI.asmx HTTP/1.1", 0) == 0);
  CHECK(cat.out.find("rec@example.com") != std::string::npos);
  RunProcess({"/bin/rm", "-rf", dir}, {});
}

TEST_CASE("brightoffice-mock over HTTPS; brightoffice-mfa --ca-file, --ca-dir, --insecure-skip-tls-verify") {
  const auto& pki = brightoffice::tests::TestPki::Get();
  BackgroundProcess trusted({kMock, "--tls-cert", pki.localhost.cert, "--tls-key", pki.localhost.key});
  const std::string ep = HttpsLocalhost(trusted);
  const auto code = Env({{"BRIGHTOFFICE_MFA_CODE", "123456"}});

  auto ok = Confirm(ep, {"--email", "jane@example.com", "--ca-file", pki.ca_file, "--json"}, code);
  CHECK(ok.exit_code == 0);
  CHECK(OneJsonLine(ok)["successCode"] == "SUCCESS");
  CheckNoSecrets(ok);
  auto by_dir = Confirm(ep, {"--email", "jane@example.com", "--ca-dir", pki.ca_dir, "--json"}, code);
  CHECK(by_dir.exit_code == 0);

  auto untrusted = Confirm(ep, {"--email", "jane@example.com", "--json"}, code);
  CHECK(untrusted.exit_code == 4);
  json u = OneJsonLine(untrusted);
  CHECK(u["error"]["kind"] == "tls");
  CHECK(u["error"]["message"].get<std::string>().find("unable to get local issuer certificate") != std::string::npos);
  CheckNoSecrets(untrusted);
  auto plain = Confirm(ep, {"--email", "jane@example.com"}, code);
  CHECK(plain.exit_code == 4);
  CHECK(plain.err.find("tls: ") != std::string::npos);

  BackgroundProcess self_signed({kMock, "--tls-cert", pki.self_signed.cert, "--tls-key", pki.self_signed.key});
  const std::string self_ep = HttpsLocalhost(self_signed);
  auto refused = Confirm(self_ep, {"--email", "jane@example.com", "--ca-file", pki.ca_file, "--json"}, code);
  CHECK(refused.exit_code == 4);
  CHECK(OneJsonLine(refused)["error"]["kind"] == "tls");
  auto insecure = Confirm(self_ep, {"--email", "jane@example.com", "--insecure-skip-tls-verify", "--json"}, code);
  CHECK(insecure.exit_code == 0);
  CHECK(OneJsonLine(insecure)["successCode"] == "SUCCESS");
  CHECK(insecure.err.find("warning") != std::string::npos);
  CHECK(insecure.err.find("--insecure-skip-tls-verify") != std::string::npos);
  CheckNoSecrets(insecure);

  auto missing_ca = Confirm(ep, {"--email", "jane@example.com", "--ca-file", pki.dir + "/none.pem"}, code);
  CHECK(missing_ca.exit_code == 2);
}

TEST_CASE("brightoffice-mock: --tls-cert needs --tls-key, and a key that does not match is refused") {
  const auto& pki = brightoffice::tests::TestPki::Get();
  auto cert_only = RunProcess({kMock, "--tls-cert", pki.localhost.cert}, {});
  CHECK(cert_only.exit_code == 2);
  auto mismatched = RunProcess({kMock, "--tls-cert", pki.localhost.cert, "--tls-key", pki.expired.key}, {});
  CHECK(mismatched.exit_code == 4);
  CHECK(mismatched.err.find("TLS") != std::string::npos);
  CHECK(mismatched.out.empty());
}

TEST_CASE("--proxy, HTTP_PROXY / HTTPS_PROXY and NO_PROXY") {
  using brightoffice::tests::TinyProxy;
  Mock mock;  // http://127.0.0.1:PORT/...
  TinyProxy proxy;
  const std::string dead = "http://127.0.0.1:" + std::to_string(brightoffice::tests::UnusedPort());
  const auto count = [&proxy] {
    const std::string log = proxy.Log();
    std::size_t n = 0;
    for (auto at = log.find("Request (file descriptor"); at != std::string::npos; at = log.find("Request (file descriptor", at + 1)) ++n;
    return n;
  };
  const std::vector<std::string> args = {"--email", "jane@example.com", "--mfa-code", "123456", "--json"};

  auto via_flag = Confirm(mock.endpoint, {"--email", "jane@example.com", "--mfa-code", "123456", "--proxy", proxy.url()});
  CHECK(via_flag.exit_code == 0);
  CHECK(count() == 1);

  auto via_env = Confirm(mock.endpoint, args, Env({{"HTTP_PROXY", proxy.url()}}));
  CHECK(via_env.exit_code == 0);
  CHECK(count() == 2);
  auto lower_env = Confirm(mock.endpoint, args, Env({{"http_proxy", proxy.url() + "/"}}));
  CHECK(lower_env.exit_code == 0);
  CHECK(count() == 3);

  // HTTPS_PROXY is for https:// endpoints only.
  auto other_scheme = Confirm(mock.endpoint, args, Env({{"HTTPS_PROXY", dead}}));
  CHECK(other_scheme.exit_code == 0);

  auto dead_env = Confirm(mock.endpoint, args, Env({{"HTTP_PROXY", dead}}));
  CHECK(dead_env.exit_code == 4);
  CHECK(OneJsonLine(dead_env)["error"]["kind"] == "connection");
  for (const char* no_proxy : {"127.0.0.1", "example.com, 127.0.0.1", "*"}) {
    CAPTURE(no_proxy);
    auto bypass = Confirm(mock.endpoint, args, Env({{"HTTP_PROXY", dead}, {"NO_PROXY", no_proxy}}));
    CHECK(bypass.exit_code == 0);
  }
  // An IP address matches only itself, not as a domain suffix.
  auto not_bypassed = Confirm(mock.endpoint, args, Env({{"HTTP_PROXY", dead}, {"NO_PROXY", "example.com,0.0.1"}}));
  CHECK(not_bypassed.exit_code == 4);

  // --proxy overrides the environment; an empty one means a direct connection.
  auto flag_wins = Confirm(mock.endpoint, {"--email", "jane@example.com", "--mfa-code", "123456", "--proxy", proxy.url()},
                           Env({{"HTTP_PROXY", dead}, {"NO_PROXY", "*"}}));
  CHECK(flag_wins.exit_code == 0);
  CHECK(count() == 4);
  auto direct = Confirm(mock.endpoint, {"--email", "jane@example.com", "--mfa-code", "123456", "--proxy", ""},
                        Env({{"HTTP_PROXY", dead}}));
  CHECK(direct.exit_code == 0);
  CHECK(count() == 4);

  // Credentials never on the command line; bad proxy URLs are usage errors.
  auto with_password = Confirm(mock.endpoint, {"--email", "jane@example.com", "--proxy", "http://u:Pr0xyPass@127.0.0.1:3128"});
  CHECK(with_password.exit_code == 2);
  CHECK(with_password.err.find("Pr0xyPass") == std::string::npos);
  for (const char* bad : {"socks5://127.0.0.1:1080", "http://127.0.0.1:99999", "http://:8080"}) {
    CAPTURE(bad);
    CHECK(Confirm(mock.endpoint, {"--email", "jane@example.com", "--proxy", bad}).exit_code == 2);
  }
}

TEST_CASE("HTTPS_PROXY with credentials (from the environment) to an HTTPS mock") {
  using brightoffice::tests::TinyProxy;
  const auto& pki = brightoffice::tests::TestPki::Get();
  BackgroundProcess mock({kMock, "--tls-cert", pki.localhost.cert, "--tls-key", pki.localhost.key});
  const std::string ep = HttpsLocalhost(mock);
  const std::string authority = ep.substr(8, ep.find('/', 8) - 8);  // localhost:PORT
  TinyProxy proxy("proxyuser", "Pr0xy.Pass");
  // Percent-encoded in the URL, as user info may be.
  const std::string with_auth = "http://proxyuser:Pr0xy%2EPass@127.0.0.1:" + std::to_string(proxy.port());
  auto ok = Confirm(ep, {"--email", "jane@example.com", "--mfa-code", "123456", "--ca-file", pki.ca_file, "--json"},
                    Env({{"HTTPS_PROXY", with_auth}}));
  INFO(ok.out << ok.err << proxy.Log());
  CHECK(ok.exit_code == 0);
  CHECK(proxy.Log().find("CONNECT " + authority) != std::string::npos);
  auto wrong = Confirm(ep, {"--email", "jane@example.com", "--mfa-code", "123456", "--ca-file", pki.ca_file, "--json"},
                       Env({{"HTTPS_PROXY", "http://proxyuser:nope-Pr0xy@127.0.0.1:" + std::to_string(proxy.port())}}));
  CHECK(wrong.exit_code == 4);
  CHECK(OneJsonLine(wrong)["error"]["kind"] == "http_status");
  CHECK(wrong.out.find("nope-Pr0xy") == std::string::npos);
  CHECK(wrong.err.find("nope-Pr0xy") == std::string::npos);
}
