// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_TESTS_HOSTILE_CORPUS_H
#define BRIGHTOFFICE_TESTS_HOSTILE_CORPUS_H

// Reads the hostile-response corpus (tests/hostile/cases/*.case; format in make_corpus.py).

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace brightoffice::tests {

/// The secrets of every call that replays the corpus (make_corpus.py's SECRETS): the cases that
/// echo a secret echo these. API password with characters XML escapes, so that its escaped
/// forms reach the wire too; names that are valid XML names, so that cases can name entities
/// after them.
struct CorpusSecrets {
  static constexpr const char* kApiPassword = "api-p&ss<w>rd";
  static constexpr const char* kMfaCode = "123456";
  static constexpr const char* kCustomerPassword = "cust-pw";
  static constexpr const char* kTemporaryPassword = "tmp-pw";
  static constexpr const char* kNewPassword = "new-pw";
  static const std::vector<std::string>& All() {
    static const std::vector<std::string> all = {kApiPassword, kMfaCode, kCustomerPassword, kTemporaryPassword,
                                                 kNewPassword};
    return all;
  }
};

struct HostileCase {
  std::string name;
  std::map<std::string, std::string> directives;
  std::string bytes;  ///< The raw HTTP response, @FILL@ / @LEN@ expanded.

  std::string get(const std::string& key, const std::string& otherwise = "") const {
    auto it = directives.find(key);
    return it == directives.end() ? otherwise : it->second;
  }
  /// Whether `outcome` ("result", or an error kind's name) is among the case's expected
  /// outcomes: its `expect`, one outcome or several separated by '|' when each of them is right.
  bool Allows(const std::string& outcome) const {
    return ("|" + get("expect") + "|").find("|" + outcome + "|") != std::string::npos;
  }
  /// Whether the case's `operation` is CustomerUserSendResetPassword (by default it is
  /// ConfirmCustomerUserMFA).
  bool IsReset() const { return get("operation", "ConfirmCustomerUserMFA") == "CustomerUserSendResetPassword"; }
};

inline HostileCase ReadHostileCase(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string all = ss.str();
  HostileCase c;
  c.name = file.stem().string();
  std::size_t pos = 0;
  for (;;) {
    const std::size_t eol = all.find('\n', pos);
    if (eol == std::string::npos) break;
    const std::string line = all.substr(pos, eol - pos);
    pos = eol + 1;
    if (line == "----") break;
    const std::size_t colon = line.find(": ");
    if (colon != std::string::npos) c.directives[line.substr(0, colon)] = line.substr(colon + 2);
  }
  c.bytes = all.substr(pos);
  if (const std::string fill = c.get("fill"); !fill.empty()) {
    const std::size_t at = c.bytes.find("@FILL@");
    if (at != std::string::npos) c.bytes.replace(at, 6, std::string(std::stoul(fill), 'A'));
  }
  if (const std::size_t at = c.bytes.find("@LEN@"); at != std::string::npos) {
    const std::size_t body = c.bytes.find("\r\n\r\n");
    c.bytes.replace(at, 5, std::to_string(c.bytes.size() - (body + 4)));
  }
  return c;
}

inline std::vector<HostileCase> ReadHostileCorpus(const std::string& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".case") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<HostileCase> out;
  for (const auto& f : files) out.push_back(ReadHostileCase(f));
  return out;
}

}  // namespace brightoffice::tests

#endif  // BRIGHTOFFICE_TESTS_HOSTILE_CORPUS_H
