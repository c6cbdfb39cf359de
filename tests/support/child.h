// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_TESTS_CHILD_H
#define BRIGHTOFFICE_TESTS_CHILD_H

// Running code or a program in a child process whose standard output is captured and whose
// standard input is a pipe holding known bytes, to see whether anything was written to stdout
// or read from stdin (a URL with an empty host makes gSOAP fall back to stdin/stdout).

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace brightoffice::tests {

struct ChildResult {
  int exit_code = -1;            ///< -1 when killed (timeout) or not started
  std::string out;               ///< everything written to fd 1
  std::string err;               ///< everything written to fd 2 (programs only)
  std::size_t stdin_given = 0;   ///< bytes put into its stdin
  std::size_t stdin_unread = 0;  ///< of those, still in the pipe when it ended
  double seconds = 0;
};

/// Forks; the child runs `body` and _exits with its return value. Its stdout goes to a pipe read
/// by the parent; its stdin is a pipe pre-filled with `stdin_bytes` (kept open, so a read past
/// them blocks). Killed after `timeout_seconds`.
ChildResult RunInChild(const std::function<int()>& body, const std::string& stdin_bytes,
                       double timeout_seconds = 20);

/// The same for a program: `argv` with exactly the environment `env`; stderr captured too.
ChildResult RunProgram(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                       const std::string& stdin_bytes, double timeout_seconds = 20);

}  // namespace brightoffice::tests

#endif  // BRIGHTOFFICE_TESTS_CHILD_H
