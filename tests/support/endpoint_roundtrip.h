// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_TESTS_ENDPOINT_ROUNDTRIP_H
#define BRIGHTOFFICE_TESTS_ENDPOINT_ROUNDTRIP_H

// The proof used by the endpoint unit test and fuzzer: gSOAP's own URL reading
// (soap_set_endpoint, what a proxy call does with the endpoint it is given) takes the canonical
// form of a parsed endpoint apart into the same scheme, host, port and path, and keeps it whole.

#include <stdsoap2.h>

#include <cstring>
#include <string>

#include "internal/endpoint.h"

namespace brightoffice::testing {

inline bool GsoapReadsAsParsed(const internal::Endpoint& e) {
  const std::string given = e.ToString();
  struct soap* soap = soap_new();
  soap_set_endpoint(soap, given.c_str());
  const bool same = std::strcmp(soap->endpoint, given.c_str()) == 0 && soap->host == e.host &&
                    soap->port == e.port && soap->path == e.path_and_query &&
                    (soap_tag_cmp(given.c_str(), "https:*") == 0) == e.https && soap->userid == nullptr &&
                    soap->passwd == nullptr;
  soap_destroy(soap);
  soap_end(soap);
  soap_free(soap);
  return same;
}

}  // namespace brightoffice::testing

#endif  // BRIGHTOFFICE_TESTS_ENDPOINT_ROUNDTRIP_H
