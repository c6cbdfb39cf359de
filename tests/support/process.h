// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_TESTS_PROCESS_H
#define BRIGHTOFFICE_TESTS_PROCESS_H

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace brightoffice::tests {

struct ProcessResult {
  int exit_code = -1;  ///< -1 when killed or not started
  std::string out;
  std::string err;
  double seconds = 0;
};

/// Reads a child's `out_fd` and `err_fd` until both end (closing them), kills the child
/// (SIGKILL) once `timeout_seconds` have passed since `start`, and reaps it. Returns its exit
/// status, or -1 when it was killed or did not exit normally.
int CollectChild(pid_t pid, int out_fd, int err_fd, std::chrono::steady_clock::time_point start,
                 double timeout_seconds, std::string& out, std::string& err);

/// Runs `argv` with exactly the environment `env` (nothing inherited) and waits for it,
/// killing it after `timeout_seconds`.
ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& env, double timeout_seconds = 30);

/// A program that runs in the background until destroyed (SIGTERM, then wait).
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv);
  /// With `die_with_parent`: killed (SIGKILL) when this process ends, however it ends (a test
  /// that crashes must not leave it running), and its stderr goes to /dev/null (an orphan that
  /// keeps ctest's output pipe open would stall ctest until the test's timeout). The death
  /// signal is tied to the creating thread: create it on a thread that outlives it.
  BackgroundProcess(const std::vector<std::string>& argv, bool die_with_parent);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;
  /// Its process id; -1 once Terminate() has reaped it.
  pid_t pid() const { return pid_; }
  /// SIGTERM, then waits up to `timeout`: its exit status if it exited normally within it, else
  /// -1 (killed by a signal, or still running: then SIGKILL). Either way it is reaped.
  int Terminate(std::chrono::milliseconds timeout);
  /// The first line the program wrote to stdout (waits up to 10 s; "" on EOF or timeout).
  std::string FirstLine();

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
};

}  // namespace brightoffice::tests

#endif  // BRIGHTOFFICE_TESTS_PROCESS_H
