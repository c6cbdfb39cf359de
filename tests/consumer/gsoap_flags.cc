// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// Compiled by the consumer projects (tests/consumer) in an object library that links one facade
// target alone: <brightoffice/gsoap/policy.h> includes stdsoap2.h, whose struct soap must have
// the layout the library was built with, so gSOAP's compile flags must come with the target.
#include <brightoffice/gsoap/policy.h>

#if !defined(WITH_OPENSSL) || !defined(WITH_GZIP) || !defined(WITH_DOM) || !defined(WITH_IPV6)
#error "gSOAP's compile flags (pkg-config --cflags gsoapssl++) did not come with the facade target"
#endif

/// Attaches the library's transport policy to `soap`; true when that worked.
bool ConsumerAttachPolicy(struct soap* soap) {
  auto policy = brightoffice::gsoap::Policy::Create(brightoffice::Options());
  return policy.ok() && policy->Attach(soap).ok();
}
