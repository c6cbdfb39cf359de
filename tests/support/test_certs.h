// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_TESTS_TEST_CERTS_H
#define BRIGHTOFFICE_TESTS_TEST_CERTS_H

// Throwaway certificates made at test time with the OpenSSL API (EC P-256, SHA-256), written
// as PEM files into a fresh private folder that is removed at exit. Nothing is checked in.

#include <string>

namespace brightoffice::tests {

struct TestPki {
  struct Leaf {
    std::string cert;  ///< PEM certificate (the leaf only).
    std::string key;   ///< PEM private key, unencrypted.
  };
  std::string dir;            ///< The folder holding everything below.
  std::string ca_file;        ///< The test CA: trust this one.
  std::string ca_dir;         ///< A folder with the test CA under its OpenSSL hash name (<hash>.0).
  std::string other_ca_file;  ///< An unrelated CA, trusted by nobody.
  Leaf localhost;    ///< Signed by the test CA; SAN DNS:localhost, IP:127.0.0.1; valid now.
  Leaf expired;      ///< Like `localhost`, but valid only from 10 to 9 days ago.
  Leaf wrong_host;   ///< Signed by the test CA, valid now, but for DNS:other.example.com only.
  Leaf self_signed;  ///< Self-signed; SAN DNS:localhost, IP:127.0.0.1.
  Leaf untrusted;    ///< Like `localhost`, but signed by the unrelated CA.

  /// Who signs a leaf made by MakeLeaf.
  enum class Signer { kTestCa, kSelf, kOtherCa };
  /// A leaf made on demand, written as <name>.pem / <name>.key in `dir`: subject O and CN as
  /// given (any text, e.g. one that quotes a secret), SAN DNS:localhost, IP:127.0.0.1, valid now
  /// (or, with `expired`, from 10 to 9 days ago). Throws std::runtime_error when OpenSSL fails.
  Leaf MakeLeaf(const std::string& name, const std::string& organization, const std::string& common_name,
                Signer signer, bool expired = false) const;

  /// Made once per process on first use; throws std::runtime_error when OpenSSL fails.
  static const TestPki& Get();
};

}  // namespace brightoffice::tests

#endif  // BRIGHTOFFICE_TESTS_TEST_CERTS_H
