// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_CONNECTION_H
#define BRIGHTOFFICE_CONNECTION_H

#include <memory>

#include "brightoffice/options.h"
#include "brightoffice/status.h"
#include "brightoffice/types.h"

namespace brightoffice {

/// The seam between Client and the network. MakeConnection() returns the real one (gSOAP
/// over HTTP/HTTPS); an application's own tests can implement this interface to give a Client
/// canned answers without a network.
///
/// Thread Safety: implementations must be safe to call from many threads at once; the one
/// from MakeConnection() is.
class Connection {
 public:
  virtual ~Connection() = default;

  /// Sends one ConfirmCustomerUserMFA request and returns the delivered result or a failure.
  /// Never retried: the MFA code is single-use.
  virtual StatusOr<ServiceResult> ConfirmCustomerUserMfa(const CustomerInfo& customer) = 0;
};

/// The gSOAP-backed Connection. `credentials` become the UserInfo of every request.
///
/// Errors: kInvalidArgument when the endpoint is not an http:// or https:// URL, or when the
/// credentials hold text XML cannot carry. Nothing is sent by this function.
StatusOr<std::shared_ptr<Connection>> MakeConnection(Options options, ApiCredentials credentials);

}  // namespace brightoffice

#endif  // BRIGHTOFFICE_CONNECTION_H
