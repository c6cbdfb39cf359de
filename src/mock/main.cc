// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// brightoffice-mock: the BrightOffice stand-in as a program (see README, "The mock service").

#include <csignal>
#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>

#include "brightoffice/testing/mock_server.h"
#include "brightoffice/version.h"

namespace {
volatile std::sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"BrightOffice API stand-in: answers ConfirmCustomerUserMFA and CustomerUserSendResetPassword by the test contract."};
  app.set_version_flag("--version", std::string(brightoffice::Version()));
  brightoffice::testing::MockServerOptions options;
  int latency_ms = 0;
  app.add_option("--port", options.port, "port on 127.0.0.1 (0 picks a free one)")->check(CLI::Range(0, 65535));
  app.add_option("--fixtures", options.fixtures_file, "JSON file of extra answers, matched first")->check(CLI::ExistingFile);
  app.add_option("--latency-ms", latency_ms, "delay before every answer")->check(CLI::NonNegativeNumber);
  app.add_option("--record", options.record_dir, "write every request received to a file in DIR")->check(CLI::ExistingDirectory);
  auto* cert = app.add_option("--tls-cert", options.tls_cert_file,
                              "serve HTTPS with this certificate chain (PEM)")->check(CLI::ExistingFile);
  auto* key = app.add_option("--tls-key", options.tls_key_file, "private key for --tls-cert (PEM, unencrypted)")
                  ->check(CLI::ExistingFile);
  cert->needs(key);
  key->needs(cert);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  options.latency = std::chrono::milliseconds(latency_ms);

  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  // Block the stop signals before any thread starts, so that only sigsuspend() below takes them.
  sigset_t stop_signals, none;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigprocmask(SIG_BLOCK, &stop_signals, nullptr);
  sigemptyset(&none);
  auto server = brightoffice::testing::MockServer::Start(options);
  if (!server.ok()) {
    std::cerr << "brightoffice-mock: " << server.status().message() << "\n";
    return server.status().kind() == brightoffice::ErrorKind::kInvalidArgument ? 2 : 4;
  }
  std::cout << "listening on " << (*server)->endpoint() << std::endl;
  while (!g_stop) sigsuspend(&none);
  (*server)->Stop();
  return 0;
}
