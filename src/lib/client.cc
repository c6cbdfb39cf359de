// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#include "brightoffice/client.h"

namespace brightoffice {

StatusOr<Client> Client::Create(Options options, ApiCredentials credentials) {
  auto connection = MakeConnection(std::move(options), std::move(credentials));
  if (!connection.ok()) return connection.status();
  return Client(std::move(*connection));
}

}  // namespace brightoffice
