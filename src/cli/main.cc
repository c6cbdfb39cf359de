// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// brightoffice-mfa: confirm a customer user's MFA code from the command line.
//
// Exit status: 0 SUCCESS, 3 a delivered result other than SUCCESS, 4 a failure (connection,
// TLS, timeout, HTTP status, SOAP fault, malformed response), 2 usage or invalid argument
// (detected before anything is sent). Secrets come only from the environment (and the MFA
// code optionally from --mfa-code) and are never printed.

#include <arpa/inet.h>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "brightoffice/client.h"
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
    std::cout << Dump({{"error", {{"kind", "invalid_argument"}, {"message", message}}}}) << "\n";
  }
  std::cerr << "brightoffice-mfa: " << message << "\n";
  return kExitUsage;
}

int Report(const brightoffice::StatusOr<brightoffice::ServiceResult>& result, bool as_json) {
  if (!result.ok()) {
    const brightoffice::Status& s = result.status();
    if (as_json) {
      json error = {{"kind", std::string(brightoffice::ToString(s.kind()))}, {"message", s.message()}};
      json out = {{"error", error}};
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

std::string Lower(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

// The host of an http(s) URL: between "://" and the next '/', without user info and port.
std::string UrlHost(const std::string& url) {
  std::size_t start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  std::string authority = url.substr(start, url.find_first_of("/?#", start) - start);
  if (auto at = authority.rfind('@'); at != std::string::npos) authority.erase(0, at + 1);
  if (!authority.empty() && authority[0] == '[') return Lower(authority.substr(1, authority.find(']') - 1));
  return Lower(authority.substr(0, authority.find(':')));
}

std::string PercentDecode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// NO_PROXY: comma-separated host names, domain suffixes ("example.com" and ".example.com"
// both match sub.example.com) or "*" for every host. An IP address matches only itself.
bool NoProxyFor(const std::string& host) {
  unsigned char address[16];
  const bool ip = inet_pton(AF_INET, host.c_str(), address) == 1 || inet_pton(AF_INET6, host.c_str(), address) == 1;
  const char* list = std::getenv("no_proxy");
  if (list == nullptr || *list == '\0') list = std::getenv("NO_PROXY");
  if (list == nullptr) return false;
  std::string entries = list;
  std::size_t pos = 0;
  while (pos <= entries.size()) {
    std::size_t comma = entries.find(',', pos);
    if (comma == std::string::npos) comma = entries.size();
    std::string e = entries.substr(pos, comma - pos);
    pos = comma + 1;
    e.erase(0, e.find_first_not_of(" \t"));
    e.erase(e.find_last_not_of(" \t") + 1);
    e = Lower(e);
    if (e.empty()) continue;
    if (e == "*") return true;
    if (e.rfind("*.", 0) == 0) e.erase(0, 1);
    if (e[0] == '.') e.erase(0, 1);
    if (host == e || (!ip && host.size() > e.size() && host.compare(host.size() - e.size(), e.size(), e) == 0 &&
                      host[host.size() - e.size() - 1] == '.')) {
      return true;
    }
  }
  return false;
}

// Sets options.proxy_* from a proxy URL "[http://][user[:password]@]host[:port][/]" (port 80
// when absent). Returns an error message, or "" when it is fine.
std::string ApplyProxy(const std::string& url, bool credentials_allowed, brightoffice::Options& options) {
  std::string rest = url;
  if (auto scheme = rest.find("://"); scheme != std::string::npos) {
    if (Lower(rest.substr(0, scheme)) != "http") return "only http:// proxies are supported";
    rest.erase(0, scheme + 3);
  }
  rest = rest.substr(0, rest.find('/'));
  if (auto at = rest.rfind('@'); at != std::string::npos) {
    if (!credentials_allowed) {
      return "--proxy must not carry credentials (the command line is visible to other users); "
             "put them in HTTPS_PROXY / HTTP_PROXY instead";
    }
    const std::string userinfo = rest.substr(0, at);
    rest.erase(0, at + 1);
    const auto colon = userinfo.find(':');
    options.proxy_username = PercentDecode(userinfo.substr(0, colon));
    if (colon != std::string::npos) options.proxy_password = brightoffice::Secret(PercentDecode(userinfo.substr(colon + 1)));
  }
  std::string host = rest, port = "80";
  if (!rest.empty() && rest[0] == '[') {
    const auto close = rest.find(']');
    if (close == std::string::npos) return "the proxy address is not a valid URL";
    host = rest.substr(1, close - 1);
    if (rest.size() > close + 1 && rest[close + 1] == ':') port = rest.substr(close + 2);
  } else if (auto colon = rest.rfind(':'); colon != std::string::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  if (host.empty()) return "the proxy address has no host";
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port) < 1 || std::stoi(port) > 65535) {
    return "the proxy port must be a number from 1 to 65535";
  }
  options.proxy_host = host;
  options.proxy_port = std::stoi(port);
  return "";
}

struct ConfirmArgs {
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

int RunConfirm(const ConfirmArgs& a) {
  brightoffice::Options options;
  options.endpoint = a.endpoint.empty() ? Env("BRIGHTOFFICE_ENDPOINT").value_or("") : a.endpoint;
  if (options.endpoint.empty()) return Usage("--endpoint is required (or set BRIGHTOFFICE_ENDPOINT)", a.json);
  options.soap_version = a.soap == "1.2" ? brightoffice::SoapVersion::kSoap12 : brightoffice::SoapVersion::kSoap11;
  if (!(a.timeout_seconds > 0) || !std::isfinite(a.timeout_seconds) || a.timeout_seconds > 86400) {
    return Usage("--timeout must be a number of seconds above 0", a.json);
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
  // endpoint's scheme, unless NO_PROXY names its host.
  if (a.proxy) {
    if (!a.proxy->empty()) {
      if (std::string e = ApplyProxy(*a.proxy, false, options); !e.empty()) return Usage("--proxy: " + e, a.json);
    }
  } else {
    const bool https = Lower(options.endpoint).rfind("https://", 0) == 0;
    const char* names[2] = {https ? "https_proxy" : "http_proxy", https ? "HTTPS_PROXY" : "HTTP_PROXY"};
    for (const char* name : names) {
      auto value = Env(name);
      if (!value || value->empty()) continue;
      if (!NoProxyFor(UrlHost(options.endpoint))) {
        if (std::string e = ApplyProxy(*value, true, options); !e.empty()) return Usage(std::string(name) + ": " + e, a.json);
      }
      break;
    }
  }

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
  return Report(client->ConfirmCustomerUserMfa(customer), a.json);
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
  CLI::App app{"Confirms a BrightOffice customer user's MFA code (ConfirmCustomerUserMFA).\n"
               "Secrets come from the environment: BRIGHTOFFICE_USERNAME, BRIGHTOFFICE_PASSWORD,\n"
               "BRIGHTOFFICE_MFA_CODE, BRIGHTOFFICE_CUSTOMER_PASSWORD, BRIGHTOFFICE_TEMPORARY_PASSWORD,\n"
               "BRIGHTOFFICE_NEW_PASSWORD; BRIGHTOFFICE_ENDPOINT is the default endpoint.\n"
               "Exit status: 0 SUCCESS, 3 another SuccessCode, 4 failure, 2 usage error."};
  app.set_version_flag("--version", "brightoffice-mfa " + std::string(brightoffice::Version()));
  app.require_subcommand(1);
  app.footer(
      "Examples:\n"
      "  brightoffice-mfa demo\n"
      "  BRIGHTOFFICE_USERNAME=api-user BRIGHTOFFICE_PASSWORD=... BRIGHTOFFICE_MFA_CODE=123456 \\\n"
      "    brightoffice-mfa confirm --endpoint https://crm.example.co.uk/Webservices/BrightOfficeAPI.asmx \\\n"
      "      --email jane@example.com --id 3f2504e0-4f89-11d3-9a0c-0305e82c3301 --json");

  ConfirmArgs confirm;
  CLI::App* c = app.add_subcommand("confirm", "confirm an MFA code with the service");
  c->add_option("--endpoint", confirm.endpoint, "service URL (default: $BRIGHTOFFICE_ENDPOINT)");
  c->add_option("--email", confirm.email, "the customer user's e-mail address")->required();
  c->add_option("--id", confirm.id, "the customer user's id (guid); absent: the nil guid");
  c->add_option("--mfa-code", confirm.mfa_code, "the MFA code (default: $BRIGHTOFFICE_MFA_CODE)");
  c->add_option("--soap", confirm.soap, "SOAP version")->check(CLI::IsMember({"1.1", "1.2"}));
  c->add_option("--timeout", confirm.timeout_seconds, "overall deadline of the call in seconds (default 30)");
  c->add_option("--ca-file", confirm.ca_file, "extra trusted CA certificates (PEM)")->check(CLI::ExistingFile);
  c->add_option("--ca-dir", confirm.ca_dir, "extra trusted CA directory (OpenSSL hashed)")->check(CLI::ExistingDirectory);
  c->add_flag("--insecure-skip-tls-verify", confirm.insecure, "do not verify the server's certificate (insecure)");
  c->add_option("--proxy", confirm.proxy,
                "HTTP proxy URL http://host:port (default: $HTTPS_PROXY / $HTTP_PROXY unless $NO_PROXY "
                "names the host; '' for none). Proxy credentials only from those variables");
  c->add_flag("--trace", confirm.trace,
              "write each HTTP request and response (headers and XML) to stderr, secrets replaced by ***");
  c->add_flag("--json", confirm.json, "print one JSON object on stdout");

  bool demo_json = false;
  CLI::App* d = app.add_subcommand("demo", "start the mock service in-process and confirm one code against it");
  d->add_flag("--json", demo_json, "print one JSON object on stdout");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : kExitUsage;
  }
  if (c->parsed()) return RunConfirm(confirm);
  return RunDemo(demo_json);
}
