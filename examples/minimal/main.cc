// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
//
// The smallest application of the facade: confirms one MFA code.
//
//   minimal ENDPOINT
//
// Credentials and the code come from the environment, as in brightoffice-mfa:
// BRIGHTOFFICE_USERNAME, BRIGHTOFFICE_PASSWORD, BRIGHTOFFICE_MFA_CODE and BRIGHTOFFICE_EMAIL.
// Exit status: 0 SUCCESS, 3 another SuccessCode, 4 a failure, 2 a usage error.
#include <brightoffice/client.h>

#include <cstdlib>
#include <iostream>
#include <string>

namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: minimal ENDPOINT (secrets from BRIGHTOFFICE_USERNAME, BRIGHTOFFICE_PASSWORD,\n"
                 "       BRIGHTOFFICE_MFA_CODE; the customer from BRIGHTOFFICE_EMAIL)\n";
    return 2;
  }
  brightoffice::Options options;
  options.endpoint = argv[1];
  options.deadline = std::chrono::seconds(10);

  auto client = brightoffice::Client::Create(
      options, {Env("BRIGHTOFFICE_USERNAME"), brightoffice::Secret(Env("BRIGHTOFFICE_PASSWORD"))});
  if (!client) {
    std::cerr << "minimal: " << client.status().ToString() << "\n";
    return 2;
  }

  brightoffice::CustomerInfo customer;
  customer.email = Env("BRIGHTOFFICE_EMAIL");
  customer.mfa_code = brightoffice::Secret(Env("BRIGHTOFFICE_MFA_CODE"));

  auto result = client->ConfirmCustomerUserMfa(customer);
  if (!result) {
    std::cerr << "minimal: " << result.status().ToString() << "\n";
    return 4;
  }
  std::cout << "library: brightoffice " << brightoffice::Version() << "\n"
            << "successCode: " << result->raw_code << "\n"
            << "message: " << result->message.value_or("") << "\n";
  return result->succeeded() ? 0 : 3;
}
