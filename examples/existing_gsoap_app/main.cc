// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
//
// An application that already has gSOAP code of its own -- a Calculator service and client
// generated at build time from calculator.wsdl, in the global C++ namespace, with its own
// global SOAP Header/Fault code and its own `namespaces` table -- and that, in the same
// program, also calls BrightOffice:
//   1. through the generated proxy brightoffice_gsoap::BrightOfficeAPISoapProxy (SOAP 1.1
//      and SOAP 1.2), from the installed bindings (brightoffice::bindings);
//   2. through the facade brightoffice::Client (brightoffice::brightoffice).
// Its own Calculator client and the BrightOffice proxy both run under the library's transport
// policy (<brightoffice/gsoap/policy.h>): a deadline, verified TLS, response limits, typed
// errors and a redacted trace for gSOAP calls the application makes itself.
//
//   existing_gsoap_app BRIGHTOFFICE_ENDPOINT
//
// It serves one Calculator request itself on a free loopback port. Exit status 0 when the gSOAP
// globals are its own and all four calls gave the expected answers, 1 otherwise, 2 on a usage
// error.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>

// The application's own bindings (generated from calculator.wsdl, default namespace) ...
#include "soapCalculatorProxy.h"
#include "soapCalculatorService.h"
#include "Calculator.nsmap"  // ... and its own global namespace table, defined here once.

// The BrightOffice bindings, facade and transport policy, installed.
#include <brightoffice/client.h>
#include <brightoffice/gsoap/policy.h>
#include <brightoffice_gsoapBrightOfficeAPISoapProxy.h>

namespace {

class Calculator : public CalculatorService {
 public:
  using CalculatorService::CalculatorService;
  int Add(_ns1__Add* request, _ns1__AddResponse& response) override {
    response.sum = request->a + request->b;
    return SOAP_OK;
  }
};

bool Expect(bool ok, const std::string& what) {
  std::cout << (ok ? "ok: " : "FAILED: ") << what << std::endl;
  return ok;
}

// The generated proxy's table lists the SOAP 1.2 envelope first, so it sends SOAP 1.2. A
// table with the SOAP 1.1 envelope first makes it send SOAP 1.1 (text/xml + SOAPAction).
const Namespace kBrightOfficeSoap11[] = {
    {"SOAP-ENV", "http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/*/soap-envelope", nullptr},
    {"SOAP-ENC", "http://schemas.xmlsoap.org/soap/encoding/", "http://www.w3.org/*/soap-encoding", nullptr},
    {"xsi", "http://www.w3.org/2001/XMLSchema-instance", "http://www.w3.org/*/XMLSchema-instance", nullptr},
    {"xsd", "http://www.w3.org/2001/XMLSchema", "http://www.w3.org/*/XMLSchema", nullptr},
    {"mstypes", "http://microsoft.com/wsdl/types/", nullptr, nullptr},
    {"tempuri", "http://tempuri.org/", nullptr, nullptr},
    {nullptr, nullptr, nullptr, nullptr},
};

// One ConfirmCustomerUserMFA call through the generated proxy, under the transport policy;
// returns the SuccessCode.
std::string RawCall(const brightoffice::gsoap::Policy& policy, const std::string& endpoint, bool soap11) {
  brightoffice_gsoap::BrightOfficeAPISoapProxy proxy(SOAP_C_UTFSTRING);
  if (soap11) soap_set_namespaces(proxy.soap, kBrightOfficeSoap11);
  if (brightoffice::Status s = policy.Attach(proxy.soap); !s.ok()) {
    std::cerr << s.ToString() << "\n";
    return "";
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
  // ConfirmCustomerUserMFA is the SOAP 1.1 binding's method, ConfirmCustomerUserMFA_ the SOAP
  // 1.2 one; either sends the envelope version of the namespace table installed.
  // The secrets of this call: hidden in its errors and trace, wiped after it.
  policy.AddSecret(proxy.soap, password);
  policy.AddSecret(proxy.soap, code);
  int rc = soap11 ? proxy.ConfirmCustomerUserMFA(endpoint.c_str(), nullptr, &request, response)
                  : proxy.ConfirmCustomerUserMFA_(endpoint.c_str(), nullptr, &request, response);
  const brightoffice::Status status = policy.Check(proxy.soap, rc);  // typed, like the facade's
  std::string result;
  if (!status.ok()) {
    std::cerr << status.ToString() << "\n";
  } else if (response.ConfirmCustomerUserMFAResult != nullptr) {
    result = response.ConfirmCustomerUserMFAResult->SuccessCode;
  }
  proxy.destroy();
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: existing_gsoap_app BRIGHTOFFICE_ENDPOINT\n";
    return 2;
  }
  const std::string endpoint = argv[1];
  bool ok = true;

  // The library's transport policy for the application's own gSOAP calls. No endpoint: each
  // call's own is checked when it connects.
  brightoffice::Options policy_options;
  policy_options.deadline = std::chrono::seconds(10);
  auto policy = brightoffice::gsoap::Policy::Create(policy_options);
  if (!policy) {
    std::cerr << policy.status().ToString() << "\n";
    return 1;
  }

  // The gSOAP runtime's global namespace table is this program's own (Calculator.nsmap, with
  // its ns1 prefix): linking BrightOffice added no second set of gSOAP globals.
  {
    soap context;
    bool own = false;
    for (const Namespace* p = context.namespaces; p != nullptr && p->id != nullptr; ++p) {
      own = own || std::strcmp(p->id, "ns1") == 0;
    }
    ok &= Expect(own, "the gSOAP globals are the application's own");
  }

  // The application's own service, on a free loopback port, serving one request.
  Calculator service;
  service.soap->bind_flags = SO_REUSEADDR;
  service.soap->accept_timeout = 10;
  if (!soap_valid_socket(service.bind("127.0.0.1", 0, 4))) {
    service.soap_stream_fault(std::cerr);
    return 1;
  }
  sockaddr_in address{};
  socklen_t length = sizeof address;
  getsockname(service.soap->master, reinterpret_cast<sockaddr*>(&address), &length);
  const std::string calculator_endpoint =
      "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/calculator";
  std::thread server([&service] {
    if (soap_valid_socket(service.accept())) service.serve();
    service.destroy();
  });

  // Its own client, under the library's transport policy.
  CalculatorProxy calculator;
  if (brightoffice::Status s = policy->Attach(calculator.soap); !s.ok()) {
    std::cerr << s.ToString() << "\n";
    return 1;
  }
  _ns1__Add add;
  add.a = 2;
  add.b = 40;
  _ns1__AddResponse sum;
  int rc = calculator.Add(calculator_endpoint.c_str(), nullptr, &add, sum);
  const brightoffice::Status added = policy->Check(calculator.soap, rc);
  if (!added.ok()) std::cerr << added.ToString() << "\n";
  ok &= Expect(added.ok() && sum.sum == 42, "own Calculator service: 2 + 40 = " + std::to_string(sum.sum));
  calculator.destroy();
  server.join();

  // BrightOffice through the generated proxy, SOAP 1.1 and SOAP 1.2.
  std::string code = RawCall(*policy, endpoint, true);
  ok &= Expect(code == "SUCCESS", "BrightOfficeAPISoapProxy, SOAP 1.1: " + code);
  code = RawCall(*policy, endpoint, false);
  ok &= Expect(code == "SUCCESS", "BrightOfficeAPISoapProxy, SOAP 1.2: " + code);

  // BrightOffice through the facade.
  brightoffice::Options options;
  options.endpoint = endpoint;
  options.deadline = std::chrono::seconds(10);
  auto client = brightoffice::Client::Create(options, {"api-user", brightoffice::Secret("api-secret")});
  if (!client) {
    std::cerr << client.status().ToString() << "\n";
    return 1;
  }
  brightoffice::CustomerInfo customer;
  customer.email = "jane.doe@example.com";
  customer.mfa_code = brightoffice::Secret("123456");
  auto result = client->ConfirmCustomerUserMfa(customer);
  ok &= Expect(result.ok() && result->succeeded(),
               "brightoffice::Client: " + (result.ok() ? result->raw_code : result.status().ToString()));
  return ok ? 0 : 1;
}
