// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#include "test_certs.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>

namespace brightoffice::tests {
namespace {

constexpr long kDay = 24 * 60 * 60;

struct Issued {
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
};

void Check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test certificates: ") + what + " failed");
}

void AddExt(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer ? issuer : cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  Check(ext != nullptr, value);
  Check(X509_add_ext(cert, ext, -1) == 1, "X509_add_ext");
  X509_EXTENSION_free(ext);
}

// A certificate for `cn`, signed by `issuer` (self-signed when null), valid from `from` to `to`
// seconds relative to now. `san` empty makes a CA.
Issued Make(const char* cn, const Issued* issuer, const std::string& san, long from, long to,
            const char* organization = "brightoffice-cpp tests") {
  static long serial = 1000;
  Issued out;
  out.key = EVP_EC_gen("P-256");
  Check(out.key != nullptr, "EVP_EC_gen");
  X509* x = X509_new();
  out.cert = x;
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), ++serial);
  X509_gmtime_adj(X509_getm_notBefore(x), from);
  X509_gmtime_adj(X509_getm_notAfter(x), to);
  X509_set_pubkey(x, out.key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(organization), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
  X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer->cert) : name);
  X509* issuer_cert = issuer ? issuer->cert : nullptr;
  AddExt(x, issuer_cert, NID_subject_key_identifier, "hash");
  AddExt(x, issuer_cert, NID_authority_key_identifier, "keyid:always");
  if (san.empty()) {
    AddExt(x, issuer_cert, NID_basic_constraints, "critical,CA:TRUE");
    AddExt(x, issuer_cert, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    AddExt(x, issuer_cert, NID_basic_constraints, "critical,CA:FALSE");
    AddExt(x, issuer_cert, NID_key_usage, "critical,digitalSignature");
    AddExt(x, issuer_cert, NID_ext_key_usage, "serverAuth");
    AddExt(x, issuer_cert, NID_subject_alt_name, san.c_str());
  }
  Check(X509_sign(x, issuer ? issuer->key : out.key, EVP_sha256()) > 0, "X509_sign");
  return out;
}

void WriteCert(const std::string& path, X509* cert) {
  FILE* f = std::fopen(path.c_str(), "w");
  Check(f != nullptr, path.c_str());
  Check(PEM_write_X509(f, cert) == 1, "PEM_write_X509");
  std::fclose(f);
}

void WriteKey(const std::string& path, EVP_PKEY* key) {
  FILE* f = std::fopen(path.c_str(), "w");
  Check(f != nullptr, path.c_str());
  Check(PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr) == 1, "PEM_write_PrivateKey");
  std::fclose(f);
}

TestPki::Leaf Write(const std::string& dir, const std::string& name, const Issued& issued) {
  TestPki::Leaf leaf{dir + "/" + name + ".pem", dir + "/" + name + ".key"};
  WriteCert(leaf.cert, issued.cert);
  WriteKey(leaf.key, issued.key);
  return leaf;
}

std::string g_dir_to_remove;
void RemoveDir() {
  if (!g_dir_to_remove.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(g_dir_to_remove, ignored);
  }
}

void Free(Issued& issued) {
  X509_free(issued.cert);
  EVP_PKEY_free(issued.key);
  issued = Issued{};
}

TestPki::Leaf WriteAndFree(const std::string& dir, const std::string& name, Issued issued) {
  TestPki::Leaf leaf = Write(dir, name, issued);
  Free(issued);
  return leaf;
}

TestPki MakePki() {
  TestPki pki;
  const char* tmp = std::getenv("TMPDIR");
  std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/brightoffice-pki-XXXXXX";
  Check(::mkdtemp(templ.data()) != nullptr, "mkdtemp");
  pki.dir = templ;
  g_dir_to_remove = templ;
  std::atexit(RemoveDir);

  const std::string local = "DNS:localhost,IP:127.0.0.1";
  Issued ca = Make("brightoffice test CA", nullptr, "", -kDay, 30 * kDay);
  Issued other = Make("some other CA", nullptr, "", -kDay, 30 * kDay);
  pki.ca_file = pki.dir + "/ca.pem";
  WriteCert(pki.ca_file, ca.cert);
  WriteKey(pki.dir + "/ca.key", ca.key);  // for MakeLeaf
  pki.other_ca_file = pki.dir + "/other-ca.pem";
  WriteCert(pki.other_ca_file, other.cert);
  WriteKey(pki.dir + "/other-ca.key", other.key);
  pki.ca_dir = pki.dir + "/ca-dir";
  std::filesystem::create_directory(pki.ca_dir);
  char hashed[32];
  std::snprintf(hashed, sizeof hashed, "/%08lx.0", X509_subject_name_hash(ca.cert));
  WriteCert(pki.ca_dir + hashed, ca.cert);

  pki.localhost = WriteAndFree(pki.dir, "localhost", Make("localhost", &ca, local, -kDay, 30 * kDay));
  pki.expired = WriteAndFree(pki.dir, "expired", Make("localhost", &ca, local, -10 * kDay, -9 * kDay));
  pki.wrong_host = WriteAndFree(pki.dir, "wrong-host", Make("other.example.com", &ca, "DNS:other.example.com", -kDay, 30 * kDay));
  pki.self_signed = WriteAndFree(pki.dir, "self-signed", Make("localhost", nullptr, local, -kDay, 30 * kDay));
  pki.untrusted = WriteAndFree(pki.dir, "untrusted", Make("localhost", &other, local, -kDay, 30 * kDay));
  Free(ca);
  Free(other);
  return pki;
}

Issued Load(const std::string& cert_file, const std::string& key_file) {
  Issued out;
  FILE* c = std::fopen(cert_file.c_str(), "r");
  Check(c != nullptr, cert_file.c_str());
  out.cert = PEM_read_X509(c, nullptr, nullptr, nullptr);
  std::fclose(c);
  FILE* k = std::fopen(key_file.c_str(), "r");
  Check(k != nullptr, key_file.c_str());
  out.key = PEM_read_PrivateKey(k, nullptr, nullptr, nullptr);
  std::fclose(k);
  Check(out.cert != nullptr && out.key != nullptr, "reading a test CA");
  return out;
}

}  // namespace

TestPki::Leaf TestPki::MakeLeaf(const std::string& name, const std::string& organization,
                                const std::string& common_name, Signer signer, bool expired) const {
  Issued issuer;
  if (signer == Signer::kTestCa) issuer = Load(ca_file, dir + "/ca.key");
  if (signer == Signer::kOtherCa) issuer = Load(other_ca_file, dir + "/other-ca.key");
  const long from = expired ? -10 * kDay : -kDay, to = expired ? -9 * kDay : 30 * kDay;
  Issued leaf = Make(common_name.c_str(), signer == Signer::kSelf ? nullptr : &issuer, "DNS:localhost,IP:127.0.0.1",
                     from, to, organization.c_str());
  if (signer != Signer::kSelf) Free(issuer);
  return WriteAndFree(dir, name, leaf);
}

const TestPki& TestPki::Get() {
  static const TestPki pki = MakePki();
  return pki;
}

}  // namespace brightoffice::tests
