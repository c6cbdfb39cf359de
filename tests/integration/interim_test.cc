// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// Interim (1xx) answers before the real one (issue 11, class 3): HTTP/1.1 lets a server send
// any number of them, and a client must skip them whatever the segmentation. A "100 Continue"
// in its own TCP segment, in the same segment as the 200, split at every byte; "102
// Processing"; several in a row with headers; before a fault; over HTTPS and SOAP 1.2; an
// endless series of them ends at the deadline. Each successful call gets its own answer (the
// server tags it with the request's e-mail) and the trace shows the interim answers.

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "brightoffice/client.h"
#include "scripted_server.h"
#include "time_scale.h"
#include "test_certs.h"

using namespace brightoffice;
using brightoffice::tests::TimeScale;
using brightoffice::tests::ScriptedAnswer;
using brightoffice::tests::ScriptedRequest;
using brightoffice::tests::ScriptedServer;
using brightoffice::tests::ScriptedServerOptions;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
const std::string kProcessing = "HTTP/1.1 102 Processing\r\n\r\n";
const std::string kEarlyHints = "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n";

struct Outcome {
  StatusOr<ServiceResult> result = Status(ErrorKind::kMalformedResponse, "not called");
  std::string trace;
  milliseconds elapsed{0};
};

Outcome Call(const Client& client, const std::string& email, std::string* trace_sink = nullptr) {
  CustomerInfo c;
  c.email = email;
  c.mfa_code = Secret("123456");
  Outcome out;
  const auto start = Clock::now();
  out.result = client.ConfirmCustomerUserMfa(c);
  out.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
  if (trace_sink != nullptr) {
    out.trace = *trace_sink;
    trace_sink->clear();
  }
  return out;
}

// A Client whose trace is collected into `trace`.
Client MakeClient(const std::string& endpoint, std::string& trace, Options o = Options()) {
  o.endpoint = endpoint;
  if (o.deadline == Options().deadline) o.deadline = std::chrono::seconds(3) * TimeScale();
  o.ca_file = tests::TestPki::Get().ca_file;
  o.trace = [&trace](std::string_view t) { trace.append(t).append("\n----\n"); };
  auto client = Client::Create(o, {"api-user", Secret("api-secret")});
  REQUIRE(client.ok());
  return *client;
}

void CheckOwnAnswer(const Outcome& out, const std::string& email) {
  INFO(out.result.status().ToString() << "\ntrace:\n" << out.trace);
  REQUIRE(out.result.ok());
  CHECK(out.result->succeeded());
  CHECK(out.result->message.value_or("") == email);
}

}  // namespace

TEST_CASE("a 100 Continue in its own TCP segment before the 200: the call succeeds, the trace shows it") {
  ScriptedServer server([](const ScriptedRequest& r) {
    ScriptedAnswer a;
    a.Add(kContinue);
    a.Add(tests::TaggedHttpAnswer(r), milliseconds(50));
    return a;
  });
  std::string trace;
  const Client client = MakeClient(server.endpoint(), trace);
  for (int i = 0; i < 3; ++i) {  // and the connection stays usable for the next calls
    const std::string email = "c" + std::to_string(i) + "@example.com";
    const Outcome out = Call(client, email, &trace);
    CheckOwnAnswer(out, email);
    CHECK(out.trace.find("100 Continue") != std::string::npos);
  }
}

TEST_CASE("a 100 Continue in the same segment as the 200") {
  ScriptedServer server([](const ScriptedRequest& r) {
    ScriptedAnswer a;
    a.Add(kContinue + tests::TaggedHttpAnswer(r));
    return a;
  });
  std::string trace;
  const Client client = MakeClient(server.endpoint(), trace);
  const Outcome out = Call(client, "same@example.com", &trace);
  CheckOwnAnswer(out, "same@example.com");
  CHECK(out.trace.find("100 Continue") != std::string::npos);
}

TEST_CASE("a 100 Continue and the 200's head split at every byte, the halves 15 ms apart") {
  // The n-th request's answer is split after byte n of (interim answer + final answer).
  std::atomic<std::size_t> head_length{0};
  ScriptedServer server([&head_length](const ScriptedRequest& r) {
    const std::string bytes = kContinue + tests::TaggedHttpAnswer(r);
    head_length = kContinue.size() + bytes.substr(kContinue.size()).find("\r\n\r\n") + 4;
    const std::size_t at = static_cast<std::size_t>(r.index);
    ScriptedAnswer a;
    a.Add(bytes.substr(0, at));
    a.Add(bytes.substr(at), milliseconds(15));
    return a;
  });
  std::string trace;
  const Client client = MakeClient(server.endpoint(), trace);
  std::vector<std::string> failures;
  std::size_t calls = 0;
  for (std::size_t at = 1; head_length == 0 || at < head_length; ++at, ++calls) {
    const std::string email = "split" + std::to_string(at) + "@example.com";
    const Outcome out = Call(client, email, &trace);
    if (!out.result.ok()) {
      failures.push_back("split after byte " + std::to_string(at) + ": " + out.result.status().ToString());
    } else if (out.result->message.value_or("") != email) {
      failures.push_back("split after byte " + std::to_string(at) + ": the answer of " + out.result->message.value_or(""));
    }
  }
  for (const auto& f : failures) MESSAGE(f);
  CHECK(calls >= kContinue.size());
  CHECK(failures.empty());
}

TEST_CASE("a 100 Continue arriving one byte per segment") {
  ScriptedServer server([](const ScriptedRequest& r) {
    ScriptedAnswer a;
    for (char ch : kContinue) a.Add(std::string(1, ch), milliseconds(3));
    a.Add(tests::TaggedHttpAnswer(r), milliseconds(3));
    return a;
  });
  std::string trace;
  const Client client = MakeClient(server.endpoint(), trace);
  CheckOwnAnswer(Call(client, "drip@example.com", &trace), "drip@example.com");
}

TEST_CASE("102 Processing, then the 200") {
  for (bool separate : {false, true}) {
    CAPTURE(separate);
    ScriptedServer server([separate](const ScriptedRequest& r) {
      ScriptedAnswer a;
      a.Add(kProcessing);
      a.Add(tests::TaggedHttpAnswer(r), milliseconds(separate ? 100 : 0));
      return a;
    });
    std::string trace;
    const Client client = MakeClient(server.endpoint(), trace);
    const Outcome out = Call(client, "processing@example.com", &trace);
    CheckOwnAnswer(out, "processing@example.com");
    CHECK(out.trace.find("102 Processing") != std::string::npos);
  }
}

TEST_CASE("several interim answers in a row, with headers, each in its own segment") {
  ScriptedServer server([](const ScriptedRequest& r) {
    ScriptedAnswer a;
    a.Add(kContinue);
    a.Add(kProcessing, milliseconds(30));
    a.Add(kEarlyHints, milliseconds(30));
    a.Add(kProcessing + kProcessing, milliseconds(30));
    a.Add(tests::TaggedHttpAnswer(r), milliseconds(30));
    return a;
  });
  std::string trace;
  const Client client = MakeClient(server.endpoint(), trace);
  const Outcome out = Call(client, "several@example.com", &trace);
  CheckOwnAnswer(out, "several@example.com");
  CHECK(out.trace.find("100 Continue") != std::string::npos);
  CHECK(out.trace.find("102 Processing") != std::string::npos);
  CHECK(out.trace.find("103 Early Hints") != std::string::npos);
}

TEST_CASE("twenty 102 Processing, 50 ms apart, within the deadline: the call succeeds") {
  ScriptedServer server([](const ScriptedRequest& r) {
    ScriptedAnswer a;
    for (int i = 0; i < 20; ++i) a.Add(kProcessing, milliseconds(50));
    a.Add(tests::TaggedHttpAnswer(r), milliseconds(50));
    return a;
  });
  std::string trace;
  const Client client = MakeClient(server.endpoint(), trace);
  CheckOwnAnswer(Call(client, "patient@example.com", &trace), "patient@example.com");
}

TEST_CASE("102 Processing without end: timeout at the deadline") {
  ScriptedServer server([](const ScriptedRequest&) {
    ScriptedAnswer a;
    for (int i = 0; i < 1000; ++i) a.Add(kProcessing, milliseconds(100));
    return a;
  });
  std::string trace;
  Options o;
  o.deadline = milliseconds(1500);
  const Client client = MakeClient(server.endpoint(), trace, o);
  const Outcome out = Call(client, "forever@example.com", &trace);
  INFO("elapsed " << out.elapsed.count() << " ms: " << out.result.status().ToString());
  REQUIRE_FALSE(out.result.ok());
  CHECK(out.result.status().kind() == ErrorKind::kTimeout);
  CHECK(out.elapsed < o.deadline + milliseconds(500) * TimeScale());
}

TEST_CASE("a 100 Continue before a SOAP fault: the fault, not the interim status") {
  ScriptedServer server([](const ScriptedRequest&) {
    ScriptedAnswer a;
    a.Add(kContinue);
    a.Add(tests::HttpAnswer(tests::SoapFault("no such code"), 500), milliseconds(30));
    a.then = ScriptedAnswer::Then::kClose;
    return a;
  });
  std::string trace;
  const Client client = MakeClient(server.endpoint(), trace);
  const Outcome out = Call(client, "fault@example.com", &trace);
  INFO(out.result.status().ToString());
  REQUIRE_FALSE(out.result.ok());
  CHECK(out.result.status().kind() == ErrorKind::kSoapFault);
  CHECK(out.result.status().fault_string() == "no such code");
  CHECK(out.result.status().http_status() == 500);
}

TEST_CASE("a 100 Continue before an HTTP 503: http_status 503") {
  ScriptedServer server([](const ScriptedRequest&) {
    ScriptedAnswer a;
    a.Add(kContinue);
    a.Add("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n", milliseconds(30));
    a.then = ScriptedAnswer::Then::kClose;
    return a;
  });
  std::string trace;
  const Client client = MakeClient(server.endpoint(), trace);
  const Outcome out = Call(client, "busy@example.com", &trace);
  REQUIRE_FALSE(out.result.ok());
  CHECK(out.result.status().kind() == ErrorKind::kHttpStatus);
  CHECK(out.result.status().http_status() == 503);
}

TEST_CASE("interim answers over SOAP 1.2 and over HTTPS (the interim answer in a TLS record of its own)") {
  {
    ScriptedServer server([](const ScriptedRequest& r) {
      ScriptedAnswer a;
      a.Add(kContinue);
      a.Add(tests::HttpAnswer(tests::SoapResult12(r.Element("Email"))), milliseconds(30));
      return a;
    });
    std::string trace;
    Options o;
    o.soap_version = SoapVersion::kSoap12;
    const Client client = MakeClient(server.endpoint(), trace, o);
    CheckOwnAnswer(Call(client, "soap12@example.com", &trace), "soap12@example.com");
  }
  {
    ScriptedServer server(tests::TlsOptions(), [](const ScriptedRequest& r) {
      ScriptedAnswer a;
      a.Add(kContinue);
      a.Add(kProcessing, milliseconds(30));
      a.Add(tests::TaggedHttpAnswer(r), milliseconds(30));
      return a;
    });
    std::string trace;
    const Client client = MakeClient(server.endpoint("localhost"), trace);
    for (int i = 0; i < 3; ++i) {
      const std::string email = "tls" + std::to_string(i) + "@example.com";
      CheckOwnAnswer(Call(client, email, &trace), email);
    }
  }
}
