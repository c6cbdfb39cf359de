#include "brightoffice/client.h"

namespace brightoffice {

StatusOr<Client> Client::Create(Options options, ApiCredentials credentials) {
  auto connection = MakeConnection(std::move(options), std::move(credentials));
  if (!connection.ok()) return connection.status();
  return Client(std::move(*connection));
}

}  // namespace brightoffice
