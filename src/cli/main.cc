// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// brightoffice-mfa: the customer-user flow from the command line: `send-reset`
// (CustomerUserSendResetPassword) and `confirm` (ConfirmCustomerUserMFA).
//
// Exit status: 0 SUCCESS, 3 a delivered result other than SUCCESS, 4 a failure (connection,
// TLS, timeout, HTTP status, SOAP fault, malformed response), 2 usage or invalid argument
// (detected before anything is sent). Secrets come only from the environment (and the MFA
// code optionally from --mfa-code) and are never printed.

#include <cmath>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "brightoffice/client.h"
#include "brightoffice/proxy.h"
#include "brightoffice/testing/mock_server.h"

namespace {

constexpr int kExitSuccess = 0;
constexpr int kExitUsage = 2;
constexpr int kExitNotSuccess = 3;
constexpr int kExitFailure = 4;

using nlohmann::json;

std::optional<std::string> Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::optional<std::string>(v) : std::nullopt;
}

std::optional<brightoffice::Secret> EnvSecret(const char* name) {
  auto v = Env(name);
  return v ? std::optional<brightoffice::Secret>(brightoffice::Secret(std::move(*v))) : std::nullopt;
}

json OptionalText(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

int Usage(const std::string& message, bool as_json) {
  if (as_json) {
    std::cout << Dump({{"error", {{"kind", "invalid_argument"}, {"message", message}}},
                       {"requestMayHaveBeenSent", false}})
              << "\n";
  }
  std::cerr << "brightoffice-mfa: " << message << "\n";
  return kExitUsage;
}

// What CLI11 found wrong with the command line. Of the arguments it did not expect, only those
// that look like options are named: the value after a misspelt option may be a code or password.
std::string ParseErrorMessage(const CLI::App& app, const CLI::ParseError& e) {
  if (dynamic_cast<const CLI::ExtrasError*>(&e) == nullptr) {
    return std::string(e.what()) + " (run with --help for the options)";
  }
  std::vector<std::string> extras = app.remaining();
  for (const CLI::App* sub : app.get_subcommands()) {
    const std::vector<std::string> more = sub->remaining();
    extras.insert(extras.end(), more.begin(), more.end());
  }
  std::string named;
  std::size_t others = 0;
  for (const std::string& arg : extras) {
    if (arg.size() > 1 && arg[0] == '-') {
      named += (named.empty() ? "" : ", ") + arg.substr(0, arg.find('='));
    } else {
      ++others;
    }
  }
  std::string message = "unexpected argument(s)";
  if (!named.empty()) message += ": " + named;
  if (others > 0) message += (named.empty() ? ": " : " and ") + std::to_string(others) + " other value(s), not shown";
  return message + " (run with --help for the options)";
}

int Report(const brightoffice::StatusOr<brightoffice::ServiceResult>& result, bool as_json) {
  if (!result.ok()) {
    const brightoffice::Status& s = result.status();
    if (as_json) {
      json error = {{"kind", std::string(brightoffice::ToString(s.kind()))}, {"message", s.message()}};
      json out = {{"error", error}, {"requestMayHaveBeenSent", s.request_may_have_been_sent()}};
      if (s.http_status() != 0) out["httpStatus"] = s.http_status();
      if (s.kind() == brightoffice::ErrorKind::kSoapFault) {
        out["faultCode"] = s.fault_code();
        out["faultString"] = s.fault_string();
      }
      std::cout << Dump(out) << "\n";
    } else {
      std::cerr << "brightoffice-mfa: " << brightoffice::ToString(s.kind()) << ": " << s.message() << "\n";
    }
    return s.kind() == brightoffice::ErrorKind::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  const brightoffice::ServiceResult& r = *result;
  if (as_json) {
    std::cout << Dump({{"successCode", r.raw_code},
                       {"message", OptionalText(r.message)},
                       {"exceptionMessage", OptionalText(r.exception_message)},
                       {"isSystemError", r.is_system_error}})
              << "\n";
  } else {
    std::cout << "successCode: " << r.raw_code << "\n";
    if (r.message) std::cout << "message: " << *r.message << "\n";
    if (r.exception_message && !r.exception_message->empty()) {
      std::cout << "exceptionMessage: " << *r.exception_message << "\n";
    }
    if (r.is_system_error) std::cout << "isSystemError: true\n";
  }
  return r.succeeded() ? kExitSuccess : kExitNotSuccess;
}

// The options of a call (confirm, send-reset).
struct CallArgs {
  std::string endpoint;
  std::string email;
  std::string id;
  std::optional<std::string> mfa_code;
  std::string soap = "1.1";
  double timeout_seconds = 30;
  std::string ca_file;
  std::string ca_dir;
  bool insecure = false;
  std::optional<std::string> proxy;
  bool trace = false;
  bool json = false;
};

// The operation a subcommand calls.
using Operation = brightoffice::StatusOr<brightoffice::ServiceResult> (brightoffice::Client::*)(
    const brightoffice::CustomerInfo&) const;

int RunCall(const CallArgs& a, Operation operation) {
  brightoffice::Options options;
  options.endpoint = a.endpoint.empty() ? Env("BRIGHTOFFICE_ENDPOINT").value_or("") : a.endpoint;
  if (options.endpoint.empty()) return Usage("--endpoint is required (or set BRIGHTOFFICE_ENDPOINT)", a.json);
  options.soap_version = a.soap == "1.2" ? brightoffice::SoapVersion::kSoap12 : brightoffice::SoapVersion::kSoap11;
  if (!(a.timeout_seconds > 0) || !std::isfinite(a.timeout_seconds) || a.timeout_seconds > 86400) {
    return Usage("--timeout must be a number of seconds above 0 and at most 86400 (24 hours)", a.json);
  }
  options.deadline = std::chrono::milliseconds(static_cast<long long>(std::ceil(a.timeout_seconds * 1000)));
  options.io_timeout = options.deadline;
  options.connect_timeout = std::min(options.connect_timeout, options.deadline);
  options.ca_file = a.ca_file;
  options.ca_dir = a.ca_dir;
  if (a.trace) {
    // The library hands over each HTTP message with every secret already replaced by ***.
    options.trace = [](std::string_view message) {
      std::cerr << "brightoffice-mfa: trace: " << message.size() << " bytes\n" << message;
      if (message.empty() || message.back() != '\n') std::cerr << '\n';
      std::cerr << "brightoffice-mfa: trace: end\n";
    };
  }
  if (a.insecure) {
    options.insecure_skip_peer_verification = true;
    options.insecure_skip_host_verification = true;
    std::cerr << "brightoffice-mfa: warning: --insecure-skip-tls-verify: the server's certificate is NOT checked\n";
  }

  // --proxy wins (an empty one means none); otherwise HTTPS_PROXY / HTTP_PROXY by the
  // endpoint's scheme, unless NO_PROXY names its host (brightoffice/proxy.h has the rules).
  auto proxy = a.proxy ? brightoffice::ProxyFromUrl(*a.proxy, "--proxy")
                       : brightoffice::ProxyFromEnvironment(options.endpoint);
  if (!proxy.ok()) return Usage(proxy.status().message(), a.json);
  proxy->ApplyTo(options);

  brightoffice::ApiCredentials credentials;
  auto username = Env("BRIGHTOFFICE_USERNAME");
  if (!username) return Usage("BRIGHTOFFICE_USERNAME is not set (the API user name)", a.json);
  auto password = EnvSecret("BRIGHTOFFICE_PASSWORD");
  if (!password) return Usage("BRIGHTOFFICE_PASSWORD is not set (the API password)", a.json);
  credentials.username = *username;
  credentials.password = *password;

  brightoffice::CustomerInfo customer;
  if (!a.id.empty()) {
    auto id = brightoffice::Guid::Parse(a.id);
    if (!id) return Usage("--id is not a guid (expected 32 hex digits, as 8-4-4-4-12, optionally in braces)", a.json);
    customer.id = *id;
  }
  customer.email = a.email;
  if (a.mfa_code) {
    customer.mfa_code = brightoffice::Secret(*a.mfa_code);
  } else {
    customer.mfa_code = EnvSecret("BRIGHTOFFICE_MFA_CODE");
  }
  customer.password = EnvSecret("BRIGHTOFFICE_CUSTOMER_PASSWORD");
  customer.temporary_password = EnvSecret("BRIGHTOFFICE_TEMPORARY_PASSWORD");
  customer.new_password = EnvSecret("BRIGHTOFFICE_NEW_PASSWORD");

  auto client = brightoffice::Client::Create(options, credentials);
  if (!client.ok()) return Usage(client.status().message(), a.json);
  return Report(((*client).*operation)(customer), a.json);
}

// The options both calls take; `confirm` also takes the code on the command line.
void AddCallOptions(CLI::App* sub, CallArgs& a, bool mfa_code_flag) {
  sub->add_option("--endpoint", a.endpoint, "service URL (default: $BRIGHTOFFICE_ENDPOINT)");
  sub->add_option("--email", a.email, "the customer user's e-mail address")->required();
  sub->add_option("--id", a.id, "the customer user's id (guid); absent: the nil guid");
  if (mfa_code_flag) sub->add_option("--mfa-code", a.mfa_code, "the MFA code (default: $BRIGHTOFFICE_MFA_CODE)");
  sub->add_option("--soap", a.soap, "SOAP version")->check(CLI::IsMember({"1.1", "1.2"}));
  sub->add_option("--timeout", a.timeout_seconds, "overall deadline of the call in seconds (default 30)");
  sub->add_option("--ca-file", a.ca_file, "extra trusted CA certificates (PEM)")->check(CLI::ExistingFile);
  sub->add_option("--ca-dir", a.ca_dir, "extra trusted CA directory (OpenSSL hashed)")->check(CLI::ExistingDirectory);
  sub->add_flag("--insecure-skip-tls-verify", a.insecure, "do not verify the server's certificate (insecure)");
  sub->add_option("--proxy", a.proxy,
                  "HTTP proxy URL http://host:port (default: $HTTPS_PROXY / $HTTP_PROXY unless $NO_PROXY "
                  "names the host; '' for none). Proxy credentials only from those variables");
  sub->add_flag("--trace", a.trace,
                "write each HTTP request and response (headers and XML) to stderr, secrets replaced by ***");
  sub->add_flag("--json", a.json, "print one JSON object on stdout");
}

int RunDemo(bool as_json) {
  auto server = brightoffice::testing::MockServer::Start();
  if (!server.ok()) {
    std::cerr << "brightoffice-mfa: cannot start the mock service: " << server.status().message() << "\n";
    return kExitFailure;
  }
  brightoffice::Options options;
  options.endpoint = (*server)->endpoint();
  options.deadline = std::chrono::seconds(10);
  if (!as_json) {
    std::cout << "demo: started brightoffice-mock on " << options.endpoint << "\n"
              << "demo: confirming MFA code for jane.doe@example.com (SOAP 1.1)\n";
  }
  auto client = brightoffice::Client::Create(options, {"api-user", brightoffice::Secret("api-secret")});
  if (!client.ok()) return Report(client.status(), as_json);
  brightoffice::CustomerInfo customer;
  customer.id = *brightoffice::Guid::Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
  customer.email = "jane.doe@example.com";
  customer.mfa_code = brightoffice::Secret("123456");
  return Report(client->ConfirmCustomerUserMfa(customer), as_json);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"The BrightOffice customer-user flow: send-reset (CustomerUserSendResetPassword: the service\n"
               "e-mails the customer user a reset code) and confirm (ConfirmCustomerUserMFA: confirms the code,\n"
               "optionally setting a new password).\n"
               "Secrets come from the environment: BRIGHTOFFICE_USERNAME, BRIGHTOFFICE_PASSWORD,\n"
               "BRIGHTOFFICE_MFA_CODE, BRIGHTOFFICE_CUSTOMER_PASSWORD, BRIGHTOFFICE_TEMPORARY_PASSWORD,\n"
               "BRIGHTOFFICE_NEW_PASSWORD (each sent only when set); BRIGHTOFFICE_ENDPOINT is the default endpoint.\n"
               "Exit status: 0 SUCCESS, 3 another SuccessCode, 4 failure, 2 usage error."};
  app.set_version_flag("--version", "brightoffice-mfa " + std::string(brightoffice::Version()));
  app.require_subcommand(1);
  app.footer(
      "Examples:\n"
      "  brightoffice-mfa demo\n"
      "  export BRIGHTOFFICE_USERNAME=api-user BRIGHTOFFICE_PASSWORD=...\n"
      "  brightoffice-mfa send-reset --endpoint https://crm.example.co.uk/Webservices/BrightOfficeAPI.asmx \\\n"
      "      --email jane@example.com --id 3f2504e0-4f89-11d3-9a0c-0305e82c3301\n"
      "  BRIGHTOFFICE_MFA_CODE=123456 BRIGHTOFFICE_NEW_PASSWORD=... \\\n"
      "    brightoffice-mfa confirm --endpoint https://crm.example.co.uk/Webservices/BrightOfficeAPI.asmx \\\n"
      "      --email jane@example.com --id 3f2504e0-4f89-11d3-9a0c-0305e82c3301 --json");

  CallArgs confirm;
  CLI::App* c = app.add_subcommand("confirm", "confirm an MFA code with the service (ConfirmCustomerUserMFA)");
  AddCallOptions(c, confirm, /*mfa_code_flag=*/true);
  CallArgs send_reset;
  CLI::App* r = app.add_subcommand(
      "send-reset", "ask the service to e-mail the customer user a password reset (CustomerUserSendResetPassword)");
  AddCallOptions(r, send_reset, /*mfa_code_flag=*/false);

  bool demo_json = false;
  CLI::App* d = app.add_subcommand("demo", "start the mock service in-process and confirm one code against it");
  d->add_flag("--json", demo_json, "print one JSON object on stdout");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    // A subcommand given --json reports the usage error as its JSON error object too.
    bool as_json = false;
    for (const CLI::App* sub : app.get_subcommands()) as_json = as_json || sub->count("--json") > 0;
    return Usage(ParseErrorMessage(app, e), as_json);
  }
  if (c->parsed()) return RunCall(confirm, &brightoffice::Client::ConfirmCustomerUserMfa);
  if (r->parsed()) return RunCall(send_reset, &brightoffice::Client::CustomerUserSendResetPassword);
  return RunDemo(demo_json);
}
