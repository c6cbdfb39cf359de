// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_INTERNAL_GSOAP_CONNECTION_H
#define BRIGHTOFFICE_INTERNAL_GSOAP_CONNECTION_H

// The facade's Connection: a pool of generated-proxy contexts with the transport policy
// attached, and one call engine that runs any operation described in internal/operations.h.

#include "brightoffice/options.h"
#include "internal/policy_plugin.h"

struct Namespace;

namespace brightoffice::internal {

/// The generated proxy's namespace table (`generated`, the same for every caller) with only the
/// SOAP envelope and encoding of `version`: a context using it sends that version and accepts
/// only that version back. Built once; the generated table lists SOAP 1.2 first, so a proxy
/// left with it sends SOAP 1.2 from all of its methods.
const Namespace* NamespaceTable(const Namespace* generated, SoapVersion version);

}  // namespace brightoffice::internal

#endif  // BRIGHTOFFICE_INTERNAL_GSOAP_CONNECTION_H
