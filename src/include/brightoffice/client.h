// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_CLIENT_H
#define BRIGHTOFFICE_CLIENT_H

#include <memory>
#include <utility>

#include "brightoffice/connection.h"
#include "brightoffice/guid.h"
#include "brightoffice/options.h"
#include "brightoffice/secret.h"
#include "brightoffice/status.h"
#include "brightoffice/types.h"
#include "brightoffice/version.h"

namespace brightoffice {

/// Calls the BrightOffice API.
///
/// @code
///   brightoffice::Options options;
///   options.endpoint = "https://crm.example.co.uk/Webservices/BrightOfficeAPI.asmx";
///   auto client = brightoffice::Client::Create(options, {"api-user", brightoffice::Secret("...")});
///   if (!client) { /* client.status().message() */ }
///   brightoffice::CustomerInfo customer;
///   customer.email = "jane@example.com";
///   customer.mfa_code = brightoffice::Secret("123456");
///   auto result = client->ConfirmCustomerUserMfa(customer);
///   if (!result) { /* a failure: result.status().kind(), .message() */ }
///   else if (result->succeeded()) { /* confirmed */ }
///   else { /* the service said no: result->code, result->message */ }
/// @endcode
///
/// Thread Safety: a Client is cheap to copy (copies share one Connection) and one Client may
/// be used from many threads at once. The connection it makes keeps a bounded pool of
/// keep-alive connections (Options::max_connections); each call uses one of them alone.
class Client {
 public:
  /// A client over any Connection (the real one from MakeConnection(), or a test double).
  explicit Client(std::shared_ptr<Connection> connection) : connection_(std::move(connection)) {}

  /// A client over the real connection. Errors as MakeConnection().
  static StatusOr<Client> Create(Options options, ApiCredentials credentials);

  /// Confirms a customer user's MFA code (and, when customer.new_password is set, sets the new
  /// password in the same call). Sends exactly one request; never retries and never follows a
  /// redirect, since the code is single-use.
  ///
  /// Returns the delivered result, whatever its SuccessCode, or a failure:
  /// kInvalidArgument (nothing was sent), kConnection, kTls, kTimeout, kHttpStatus (including
  /// any 3xx), kSoapFault, kMalformedResponse.
  StatusOr<ServiceResult> ConfirmCustomerUserMfa(const CustomerInfo& customer) const {
    return connection_->ConfirmCustomerUserMfa(customer);
  }

  /// Asks the service to send a customer user a password reset (by e-mail: a code and/or a
  /// temporary password), the first step of the flow that ends with ConfirmCustomerUserMfa().
  /// customer.email (and customer.id, when known) name the user; MFACode and the passwords are
  /// sent only when set. Sends exactly one request; never retries.
  ///
  /// Returns the delivered result, whatever its SuccessCode, or a failure of the same kinds as
  /// ConfirmCustomerUserMfa().
  StatusOr<ServiceResult> CustomerUserSendResetPassword(const CustomerInfo& customer) const {
    return connection_->CustomerUserSendResetPassword(customer);
  }

 private:
  std::shared_ptr<Connection> connection_;
};

}  // namespace brightoffice

#endif  // BRIGHTOFFICE_CLIENT_H
