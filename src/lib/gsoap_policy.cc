// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// brightoffice::gsoap::Policy: the transport policy (internal/policy_plugin.h) for a gSOAP
// application's own contexts.
#include "brightoffice/gsoap/policy.h"

#include "internal/policy_plugin.h"

namespace brightoffice::gsoap {

StatusOr<Policy> Policy::Create(Options options) {
  auto core = internal::PolicyCore::Create(std::move(options), /*endpoint_required=*/false);
  if (!core.ok()) return core.status();
  return Policy(std::move(*core));
}

Status Policy::Attach(struct soap* soap) const { return internal::PolicyContext::Attach(soap, core_); }

Status Policy::Check(struct soap* soap, int rc) const {
  internal::PolicyContext* context = soap != nullptr ? internal::PolicyContext::Of(soap) : nullptr;
  if (context == nullptr) return Status(ErrorKind::kInvalidArgument, "no transport policy is attached to this gSOAP context");
  if (!context->in_call()) context->BeginOwnCall();  // failed before it connected
  return context->EndCall(rc, rc == SOAP_OK);
}

void Policy::AddSecret(struct soap* soap, std::string_view secret) const {
  if (internal::PolicyContext* context = soap != nullptr ? internal::PolicyContext::Of(soap) : nullptr) {
    context->AddSecret(secret);
  }
}

}  // namespace brightoffice::gsoap
