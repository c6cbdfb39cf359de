// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// libFuzzer target: the input is the raw HTTP response to one call through the whole facade
// (Client -> the call engine -> gSOAP -> generated serializers -> operation descriptions), of
// either operation (ConfirmCustomerUserMFA or CustomerUserSendResetPassword). The transport is in memory (internal::t_memory_transport, test-only): nothing is
// sent, the input is what the server "answers". Besides crashes, sanitizer reports and leaks,
// it aborts when a secret shows in the error message or the wire trace.
//   tests/fuzz/run.sh [BUILD_DIR] [SECONDS]   builds it with clang and runs it on the corpus

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "brightoffice/client.h"
#include "internal/gsoap_connection.h"
#include "secret_scan.h"

using namespace brightoffice;

namespace {

const std::vector<std::string> kSecrets = {"api-p&ss<w>rd", "S3cr3t-MFA-7781", "cust-pw-6d1f", "tmp-pw-93ab",
                                           "new-pw-0c2e"};

// A secret shown in any form a reader can undo at sight: raw, or spelt with character
// references of any length and the predefined entities, in any mix (tests/support/secret_scan.h).
void CheckNoSecret(std::string_view where, std::string_view text) {
  if (!brightoffice::tests::ShownSecret(text, kSecrets).empty()) {
    std::fprintf(stderr, "secret shown in %.*s\n", static_cast<int>(where.size()), where.data());
    std::abort();
  }
}

Client& TheClient(SoapVersion version) {
  auto make = [](SoapVersion v) {
    Options o;
    o.endpoint = "http://fuzz.invalid/Webservices/BrightOfficeAPI.asmx";
    o.soap_version = v;
    o.keep_alive = false;
    o.deadline = std::chrono::seconds(10);
    // Smaller limits than the defaults keep every input cheap (a gzip bomb inflating to the
    // default 8 MiB costs seconds under the sanitizers) while still reaching every limit.
    o.max_response_bytes = 512 * 1024;
    o.max_decompressed_bytes = 512 * 1024;
    o.trace = [](std::string_view message) { CheckNoSecret("the trace", message); };
    auto c = Client::Create(o, {"api-user", Secret("api-p&ss<w>rd")});
    if (!c.ok()) std::abort();
    return new Client(std::move(*c));
  };
  static Client* v11 = make(SoapVersion::kSoap11);
  static Client* v12 = make(SoapVersion::kSoap12);
  return version == SoapVersion::kSoap11 ? *v11 : *v12;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The first byte's low bit picks the binding, so both envelopes get explored; the response
  // is the whole input either way (seeds start with "HTTP/", whose 'H' is even: SOAP 1.1). The
  // operation is the one whose name the answer carries (CustomerUserSendResetPassword when it
  // appears anywhere), so that the answers of both operations are explored in depth.
  const SoapVersion version = size > 0 && (data[0] & 1) ? SoapVersion::kSoap12 : SoapVersion::kSoap11;
  const bool send_reset = std::string_view(reinterpret_cast<const char*>(data), size)
                              .find("CustomerUserSendResetPassword") != std::string_view::npos;
  internal::MemoryTransport transport;
  transport.response = std::string_view(reinterpret_cast<const char*>(data), size);
  internal::t_memory_transport = &transport;
  CustomerInfo customer;
  customer.email = "jane@example.com";
  customer.mfa_code = Secret("S3cr3t-MFA-7781");
  customer.password = Secret("cust-pw-6d1f");
  customer.temporary_password = Secret("tmp-pw-93ab");
  customer.new_password = Secret("new-pw-0c2e");
  auto r = send_reset ? TheClient(version).CustomerUserSendResetPassword(customer)
                      : TheClient(version).ConfirmCustomerUserMfa(customer);
  internal::t_memory_transport = nullptr;
  if (!r.ok()) {
    // The status's texts and fault parts, and the exception value() throws (which it must).
    if (const std::string found = brightoffice::tests::SecretsShownByOutcome(r, kSecrets); !found.empty()) {
      std::fprintf(stderr, "%s\n", found.c_str());
      std::abort();
    }
  } else if (r->raw_code.empty()) {
    std::abort();  // a delivered result always has its SuccessCode
  }
  return 0;
}
