// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// A consumer project's program (tests/consumer) that drives the generated proxy itself
// (brightoffice::bindings) under the library's transport policy (<brightoffice/gsoap/policy.h>
// from brightoffice::brightoffice), against the in-process mock (brightoffice::mock). It has no
// gSOAP code of its own: the gSOAP globals come from brightoffice::gsoap_globals. One call over
// SOAP 1.2 (the proxy's own namespace table). Exit status 0 when it answered SUCCESS, 1 otherwise.
#include <brightoffice/gsoap/policy.h>
#include <brightoffice/testing/mock_server.h>
#include <brightoffice_gsoapBrightOfficeAPISoapProxy.h>

#include <iostream>
#include <string>

int main() {
  auto server = brightoffice::testing::MockServer::Start();
  if (!server) {
    std::cerr << "consumer: " << server.status().ToString() << "\n";
    return 1;
  }
  const std::string endpoint = (*server)->endpoint();
  brightoffice::Options options;
  options.deadline = std::chrono::seconds(10);
  auto policy = brightoffice::gsoap::Policy::Create(options);
  if (!policy) {
    std::cerr << "consumer: " << policy.status().ToString() << "\n";
    return 1;
  }
  brightoffice_gsoap::BrightOfficeAPISoapProxy proxy(SOAP_C_UTFSTRING);
  if (brightoffice::Status attached = policy->Attach(proxy.soap); !attached.ok()) {
    std::cerr << "consumer: " << attached.ToString() << "\n";
    return 1;
  }
  std::string username = "api-user", password = "api-secret";
  std::string email = "jane.doe@example.com", code = "123456";
  brightoffice_gsoap::tempuri__UserInfo user;
  user.Username = &username;
  user.Password = &password;
  brightoffice_gsoap::tempuri__CustomerInfo customer;
  customer.Id = "00000000-0000-0000-0000-000000000000";
  customer.Email = &email;
  customer.MFACode = &code;
  brightoffice_gsoap::_tempuri__ConfirmCustomerUserMFA request;
  request.UserInfo = &user;
  request.CustomerInfo = &customer;
  brightoffice_gsoap::_tempuri__ConfirmCustomerUserMFAResponse response;
  policy->AddSecret(proxy.soap, password);
  policy->AddSecret(proxy.soap, code);
  const int rc = proxy.ConfirmCustomerUserMFA_(endpoint.c_str(), nullptr, &request, response);
  const brightoffice::Status status = policy->Check(proxy.soap, rc);
  std::string result;
  if (!status.ok()) {
    std::cerr << "consumer: " << status.ToString() << "\n";
  } else if (response.ConfirmCustomerUserMFAResult != nullptr) {
    result = response.ConfirmCustomerUserMFAResult->SuccessCode;
  }
  proxy.destroy();
  std::cout << "consumer: generated proxy under gsoap::Policy against the in-process mock: " << result << "\n";
  return result == "SUCCESS" && (*server)->requests_answered() == 1 ? 0 : 1;
}
