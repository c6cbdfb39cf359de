// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// The facade's Connection: one call engine for every operation. It knows no operation by name:
// Call<Op>() runs any operation described in internal/operations.h on a pooled gSOAP context
// with the transport policy attached (internal/policy_plugin.h), and the policy maps a failure
// to a Status (internal/error_map.h).

#include "internal/gsoap_connection.h"

#include <array>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "brightoffice/connection.h"
#include "internal/context_pool.h"
#include "internal/operations.h"
#include "internal/policy_plugin.h"

namespace brightoffice::internal {

namespace {
constexpr char kEnv11[] = "http://schemas.xmlsoap.org/soap/envelope/";
constexpr char kEnc11[] = "http://schemas.xmlsoap.org/soap/encoding/";
constexpr char kEnv12[] = "http://www.w3.org/2003/05/soap-envelope";
constexpr char kEnc12[] = "http://www.w3.org/2003/05/soap-encoding";
}  // namespace

const Namespace* NamespaceTable(const Namespace* generated, SoapVersion version) {
  static std::once_flag once;
  static std::vector<Namespace> tables[2];
  std::call_once(once, [generated] {
    for (int v = 0; v < 2; ++v) {
      for (const Namespace* p = generated; p->id != nullptr; ++p) {
        Namespace entry = {p->id, p->ns, p->in, nullptr};
        if (std::strcmp(p->id, "SOAP-ENV") == 0) {
          entry.ns = v == 0 ? kEnv11 : kEnv12;
          entry.in = nullptr;
        } else if (std::strcmp(p->id, "SOAP-ENC") == 0) {
          entry.ns = v == 0 ? kEnc11 : kEnc12;
          entry.in = nullptr;
        }
        tables[v].push_back(entry);
      }
      tables[v].push_back(Namespace{nullptr, nullptr, nullptr, nullptr});
    }
  });
  return tables[version == SoapVersion::kSoap11 ? 0 : 1].data();
}

namespace {

// One generated proxy with the policy attached; one call at a time.
struct PooledProxy {
  explicit PooledProxy(soap_mode mode) : proxy(mode) {}
  wire::Proxy proxy;
  PolicyContext* policy = nullptr;
};

class GsoapConnection final : public Connection {
 public:
  GsoapConnection(std::shared_ptr<const PolicyCore> core, ApiCredentials credentials)
      : core_(std::move(core)),
        credentials_(std::move(credentials)),
        pool_(core_->options().max_connections, core_->options().max_idle_connections,
              [this] { return NewContext(); }) {}

  StatusOr<ServiceResult> ConfirmCustomerUserMfa(const CustomerInfo& customer) override {
    return Call<ConfirmCustomerUserMfaOp>(customer);
  }
  StatusOr<ServiceResult> CustomerUserSendResetPassword(const CustomerInfo& customer) override {
    return Call<CustomerUserSendResetPasswordOp>(customer);
  }

 private:
  // The call engine: any operation of the customer-user shape (operations.h).
  template <typename Op>
  StatusOr<ServiceResult> Call(const CustomerInfo& customer) {
    using namespace customer_user;
    if (Status s = Validate(customer, credentials_, /*credentials_too=*/false); !s.ok()) return s;
    const Options& options = core_->options();
    // The deadline counts from here: waiting for a free connection is part of the call.
    const Clock::time_point deadline = Clock::now() + options.deadline;
    std::unique_ptr<PooledProxy> c = pool_.Acquire(deadline);
    if (!c) return NoFreeConnection();
    std::array<std::string_view, kFieldCount> secrets;
    std::size_t secret_count = 0;
    ForEachSecret(customer, credentials_, [&](std::string_view s) { secrets[secret_count++] = s; });
    c->policy->BeginCall(CallSetup{deadline, Op::kInfo, options.soap_version, secrets.data(), secret_count});
    struct soap* soap = c->proxy.soap;
    std::optional<StatusOr<ServiceResult>> out;
    {
      RequestHolder<typename Op::Request> request(customer, credentials_);
      typename Op::Response response;
      const int rc = Send<Op>(c->proxy, core_->endpoint_text().c_str(), options.soap_version, request.get(), response);
      if (rc == SOAP_OK) {
        out.emplace(ReadResult(ResultOf<Op>(response), Op::kInfo.result_element));
        (void)c->policy->EndCall(rc, out->ok());  // OK: the call itself went through
      } else {
        out.emplace(c->policy->EndCall(rc, false));
      }
      // soap_destroy + soap_dealloc free the call's data as destroy() does, without its
      // soap_end -> soap_free_temp, which clears gSOAP's hash tables (about a third of the raw
      // proxy's instructions per call, callgrind) and runs again in the next call's soap_begin.
      soap_destroy(soap);
      soap_dealloc(soap, nullptr);
    }
    pool_.Release(std::move(c));
    return std::move(*out);
  }

  Status NoFreeConnection() const {
    Observations seen;
    seen.Reset(core_->facts());
    seen.no_free_connection = true;
    return MapError(SOAP_TCP_ERROR, seen, Redactor());
  }

  std::unique_ptr<PooledProxy> NewContext() {
    const Options& options = core_->options();
    soap_mode mode = SOAP_C_UTFSTRING;
    if (options.keep_alive) mode |= SOAP_IO_KEEPALIVE;
    auto c = std::make_unique<PooledProxy>(mode);
    struct soap* soap = c->proxy.soap;
    soap_set_namespaces(soap, NamespaceTable(soap->namespaces, options.soap_version));
    if (!PolicyContext::Attach(soap, core_).ok()) return nullptr;
    c->policy = PolicyContext::Of(soap);
    return c;
  }

  std::shared_ptr<const PolicyCore> core_;
  ApiCredentials credentials_;
  ContextPool<PooledProxy> pool_;
};

}  // namespace
}  // namespace brightoffice::internal

namespace brightoffice {

StatusOr<std::shared_ptr<Connection>> MakeConnection(Options options, ApiCredentials credentials) {
  if (Status s = internal::customer_user::Validate(CustomerInfo{}, credentials); !s.ok()) return s;
  auto core = internal::PolicyCore::Create(std::move(options), /*endpoint_required=*/true);
  if (!core.ok()) return core.status();
  return std::shared_ptr<Connection>(std::make_shared<internal::GsoapConnection>(std::move(*core), std::move(credentials)));
}

}  // namespace brightoffice
