// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_TESTS_PROGRAM_CHECKS_H
#define BRIGHTOFFICE_TESTS_PROGRAM_CHECKS_H

// Helpers (doctest assertions) for tests that run the project's programs: environments built
// from a base, "nothing secret printed", and the endpoint a server program announces.

#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "process.h"

namespace brightoffice::tests {

/// `base` with `overrides` applied: a value replaces the variable, an empty value removes it.
inline std::map<std::string, std::string> WithOverrides(std::map<std::string, std::string> base,
                                                        const std::map<std::string, std::string>& overrides) {
  for (const auto& [k, v] : overrides) {
    if (v.empty()) base.erase(k); else base[k] = v;
  }
  return base;
}

/// None of `secrets` appears in the program's stdout or stderr (`r`: a ProcessResult or a
/// ChildResult, anything with `out` and `err`).
template <class Result>
void CheckNotPrinted(const Result& r, const std::vector<std::string>& secrets) {
  for (const auto& s : secrets) {
    CAPTURE(s);
    CHECK(r.out.find(s) == std::string::npos);
    CHECK(r.err.find(s) == std::string::npos);
  }
}

/// The program's stdout is exactly one line (ending in a newline), parsed with `Json::parse`
/// (e.g. nlohmann::json). `r`: a ProcessResult or a ChildResult.
template <class Json, class Result>
Json OneJsonLine(const Result& r) {
  INFO("stdout: " << r.out << " stderr: " << r.err);
  REQUIRE(!r.out.empty());
  REQUIRE(r.out.back() == '\n');
  REQUIRE(r.out.find('\n') == r.out.size() - 1);
  return Json::parse(r.out);
}

/// The endpoint a server program announced on its first line, "listening on <endpoint>".
inline std::string ListeningEndpoint(BackgroundProcess& server) {
  const std::string prefix = "listening on ";
  const std::string line = server.FirstLine();
  INFO(line);
  REQUIRE(line.rfind(prefix, 0) == 0);
  return line.substr(prefix.size());
}

}  // namespace brightoffice::tests

#endif  // BRIGHTOFFICE_TESTS_PROGRAM_CHECKS_H
