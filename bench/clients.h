// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_BENCH_CLIENTS_H
#define BRIGHTOFFICE_BENCH_CLIENTS_H

// The three C++ clients the load tool and the memory check drive, behind one interface:
//   facade     brightoffice::Client (the library under test)
//   raw_proxy  the generated BrightOfficeAPISoapProxy, used as a user would use it directly
//   raw_socket writes a pre-serialized request and reads the reply (the limit)

#include <memory>
#include <string>

struct Namespace;

namespace brightoffice::bench {

class BenchClient {
 public:
  virtual ~BenchClient() = default;
  /// One ConfirmCustomerUserMFA call; true when the answer was SUCCESS.
  virtual bool Call() = 0;
  /// What went wrong in the last failed call.
  virtual std::string LastError() const = 0;
};

struct ClientConfig {
  std::string endpoint;     // http://127.0.0.1:PORT/Webservices/BrightOfficeAPI.asmx
  bool keep_alive = true;   // false: a new connection per call
  std::string ca_file;      // https only
  long timeout_ms = 0;      // facade: > 0 sets connect_timeout, io_timeout and deadline (for
                            // runs under valgrind); 0 keeps the library's defaults
};

/// "facade", "raw_proxy" or "raw_socket". One object per calling thread, except that facade
/// objects made by one factory share one brightoffice::Client (its documented use).
class ClientFactory {
 public:
  static std::unique_ptr<ClientFactory> Make(const std::string& kind, const ClientConfig& config,
                                             std::string* error);
  virtual ~ClientFactory() = default;
  virtual std::unique_ptr<BenchClient> NewClient() = 0;
};

/// The generated namespace table with only the SOAP 1.1 envelope (the facade's own table,
/// internal::NamespaceTable), so a proxy sends SOAP 1.1 with a SOAPAction header like the
/// facade does (see service-facts.md).
const Namespace* Soap11Namespaces(const Namespace* generated);

}  // namespace brightoffice::bench

#endif  // BRIGHTOFFICE_BENCH_CLIENTS_H
