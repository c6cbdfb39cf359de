// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// An application's own test against the installed brightoffice::mock: the mock service
// in-process, and one call through the facade. Exit 0 when the call succeeded.
#include <brightoffice/client.h>
#include <brightoffice/testing/mock_server.h>

#include <iostream>

int main() {
  auto server = brightoffice::testing::MockServer::Start();
  if (!server) {
    std::cerr << server.status().ToString() << "\n";
    return 1;
  }
  brightoffice::Options options;
  options.endpoint = (*server)->endpoint();
  auto client = brightoffice::Client::Create(options, {"api-user", brightoffice::Secret("api-secret")});
  if (!client) return 1;
  brightoffice::CustomerInfo customer;
  customer.email = "jane.doe@example.com";
  customer.mfa_code = brightoffice::Secret("123456");
  auto result = client->ConfirmCustomerUserMfa(customer);
  std::cout << "in-process mock: " << (result ? result->raw_code : result.status().ToString()) << "\n";
  return result && result->succeeded() && (*server)->requests_answered() == 1 ? 0 : 1;
}
