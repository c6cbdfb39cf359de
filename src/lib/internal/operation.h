// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_INTERNAL_OPERATION_H
#define BRIGHTOFFICE_INTERNAL_OPERATION_H

// What the engine, the checks and the mock know of an operation, without gSOAP: its names.
// The operations themselves are described in internal/operations.h.

#include <string_view>

namespace brightoffice::internal {

/// An operation of the service, by name.
struct OperationInfo {
  /// The operation and its request element, e.g. "ConfirmCustomerUserMFA" (also the key the
  /// mock's fixtures use, and the name in messages).
  std::string_view name;
  /// Its SOAPAction (SOAP 1.1 header; SOAP 1.2 carries it in the Content-Type).
  std::string_view soap_action;
  /// The element an answer must hold exactly once, e.g. "ConfirmCustomerUserMFAResult".
  std::string_view result_element;
};

}  // namespace brightoffice::internal

#endif  // BRIGHTOFFICE_INTERNAL_OPERATION_H
