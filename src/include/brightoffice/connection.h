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
/// canned answers without a network (see brightoffice/testing/fake_connection.h for a ready
/// one). Every method has a default body that returns ErrorKind::kUnimplemented, so that a
/// test double written before an operation was added keeps compiling: override the ones your
/// code calls.
///
/// Thread Safety: implementations must be safe to call from many threads at once; the one
/// from MakeConnection() is.
class Connection {
 public:
  virtual ~Connection() = default;

  /// Sends one ConfirmCustomerUserMFA request and returns the delivered result or a failure.
  /// Never retried: the MFA code is single-use.
  virtual StatusOr<ServiceResult> ConfirmCustomerUserMfa(const CustomerInfo& customer) {
    (void)customer;
    return Status(ErrorKind::kUnimplemented, "this Connection does not implement ConfirmCustomerUserMFA");
  }

  /// Sends one CustomerUserSendResetPassword request (the service e-mails the customer user a
  /// reset) and returns the delivered result or a failure. Never retried.
  virtual StatusOr<ServiceResult> CustomerUserSendResetPassword(const CustomerInfo& customer) {
    (void)customer;
    return Status(ErrorKind::kUnimplemented, "this Connection does not implement CustomerUserSendResetPassword");
  }
};

/// The gSOAP-backed Connection. `credentials` become the UserInfo of every request.
///
/// Errors: kInvalidArgument when an option is not acceptable (the endpoint by the rules of
/// Options::endpoint, a duration outside (0, 24 h], header text with CR or LF, the proxy
/// settings, a CA file or folder that cannot be loaded) or when the credentials hold text XML
/// cannot carry; the message names the option. Nothing is sent by this function.
StatusOr<std::shared_ptr<Connection>> MakeConnection(Options options, ApiCredentials credentials);

}  // namespace brightoffice

#endif  // BRIGHTOFFICE_CONNECTION_H
