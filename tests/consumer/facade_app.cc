// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// A consumer project's program (tests/consumer): the facade against the in-process mock
// (brightoffice::testing::MockServer from brightoffice::mock), with the environment's proxy
// rules from brightoffice/proxy.h. Built twice, against brightoffice::brightoffice (shared) and
// brightoffice::brightoffice_static; and by the install tests against the installed
// brightoffice::mock (tests/install/mock_app). Its own code is C++17 (if with an initializer, structured
// bindings) although the consumer asks for C++14: the standard comes with the targets.
// Exit status 0 when the call succeeded, 1 otherwise.
#include <brightoffice/client.h>
#include <brightoffice/proxy.h>
#include <brightoffice/testing/mock_server.h>

#include <iostream>
#include <map>
#include <optional>
#include <string>

int main() {
  auto server = brightoffice::testing::MockServer::Start();
  if (!server) {
    std::cerr << "consumer: " << server.status().ToString() << "\n";
    return 1;
  }
  brightoffice::Options options;
  options.endpoint = (*server)->endpoint();
  options.deadline = std::chrono::seconds(10);

  // A proxy that does not exist, bypassed for the loopback block by NO_PROXY.
  const std::map<std::string, std::string> environment = {{"HTTP_PROXY", "http://proxy.invalid:3128"},
                                                          {"NO_PROXY", "localhost, 127.0.0.0/8"}};
  const brightoffice::EnvironmentLookup lookup = [&environment](const std::string& name) -> std::optional<std::string> {
    if (auto it = environment.find(name); it != environment.end()) return it->second;
    return std::nullopt;
  };
  if (auto applied = brightoffice::ApplyEnvironmentProxy(options, lookup); !applied.ok() || !options.proxy_host.empty()) {
    std::cerr << "consumer: NO_PROXY did not bypass the proxy: " << applied.ToString() << "\n";
    return 1;
  }

  auto client = brightoffice::Client::Create(options, {"api-user", brightoffice::Secret("api-secret")});
  if (!client) {
    std::cerr << "consumer: " << client.status().ToString() << "\n";
    return 1;
  }
  brightoffice::CustomerInfo customer;
  customer.email = "jane.doe@example.com";
  customer.mfa_code = brightoffice::Secret("123456");
  const auto result = client->ConfirmCustomerUserMfa(customer);
  const auto [code, answered] = std::pair(result ? result->raw_code : result.status().ToString(),
                                          (*server)->requests_answered());
  std::cout << "consumer: facade against the in-process mock: " << code << " (" << answered << " request)\n";
  return result && result->succeeded() && answered == 1 ? 0 : 1;
}
