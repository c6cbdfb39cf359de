// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// A consumer project's program (tests/consumer) that drives the generated proxy itself
// (brightoffice::bindings) against the in-process mock (brightoffice::mock), with no gSOAP code
// of its own: the gSOAP globals come from brightoffice::gsoap_globals. One call over SOAP 1.2
// (the proxy's own namespace table). Exit status 0 when it answered SUCCESS, 1 otherwise.
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
  brightoffice_gsoap::BrightOfficeAPISoapProxy proxy(SOAP_C_UTFSTRING);
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
  const int rc = proxy.ConfirmCustomerUserMFA_(endpoint.c_str(), nullptr, &request, response);
  std::string result;
  if (rc != SOAP_OK) {
    proxy.soap_stream_fault(std::cerr);
  } else if (response.ConfirmCustomerUserMFAResult != nullptr) {
    result = response.ConfirmCustomerUserMFAResult->SuccessCode;
  }
  proxy.destroy();
  std::cout << "consumer: generated proxy against the in-process mock: " << result << "\n";
  return result == "SUCCESS" && (*server)->requests_answered() == 1 ? 0 : 1;
}
