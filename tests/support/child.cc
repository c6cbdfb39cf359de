// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#include "child.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>

#include "process.h"

namespace brightoffice::tests {
namespace {

// Forks; in the child runs `start` with stdin/stdout/stderr set up; in the parent collects.
ChildResult Run(const std::function<void()>& start, const std::string& stdin_bytes, double timeout_seconds) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0 || ::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe");
  }
  // Small enough to fit the pipe at once (64 KiB on Linux).
  if (!stdin_bytes.empty() &&
      ::write(in_pipe[1], stdin_bytes.data(), stdin_bytes.size()) != static_cast<ssize_t>(stdin_bytes.size())) {
    throw std::runtime_error("stdin bytes do not fit the pipe");
  }
  std::fflush(nullptr);
  const auto begin = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork");
  if (pid == 0) {
    ::dup2(in_pipe[0], 0);
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    start();
    ::_exit(126);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  ChildResult result;
  result.stdin_given = stdin_bytes.size();
  result.exit_code = CollectChild(pid, out_pipe[0], err_pipe[0], begin, timeout_seconds, result.out, result.err);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  int unread = 0;
  ::ioctl(in_pipe[0], FIONREAD, &unread);
  result.stdin_unread = static_cast<std::size_t>(unread);
  ::close(in_pipe[0]);
  ::close(in_pipe[1]);
  return result;
}

}  // namespace

ChildResult RunInChild(const std::function<int()>& body, const std::string& stdin_bytes, double timeout_seconds) {
  return Run([&body] { ::_exit(body()); }, stdin_bytes, timeout_seconds);
}

ChildResult RunProgram(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                       const std::string& stdin_bytes, double timeout_seconds) {
  // Everything execve needs is built before fork.
  std::vector<std::string> args = argv, vars;
  for (const auto& [k, v] : env) vars.push_back(k + "=" + v);
  std::vector<char*> cargs, cvars;
  for (auto& a : args) cargs.push_back(a.data());
  cargs.push_back(nullptr);
  for (auto& v : vars) cvars.push_back(v.data());
  cvars.push_back(nullptr);
  return Run([&] { ::execve(cargs[0], cargs.data(), cvars.data()); }, stdin_bytes, timeout_seconds);
}

}  // namespace brightoffice::tests
