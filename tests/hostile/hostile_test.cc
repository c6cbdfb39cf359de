// The hostile-response corpus (tests/hostile/cases, written by make_corpus.py), replayed by a
// loopback server: every case ends within its deadline with the outcome written in the case
// file, and with the wire trace on no secret appears in the trace or the error message.

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "brightoffice/client.h"
#include "canned_server.h"
#include "corpus.h"
#include "time_scale.h"
#include "secret_scan.h"

using namespace brightoffice;
using brightoffice::tests::CannedReply;
using brightoffice::tests::CannedServer;
using brightoffice::tests::HostileCase;
using Clock = std::chrono::steady_clock;

namespace {

// Every secret of a call (the corpus's own, which its cases echo), with characters XML must
// escape so that their escaped forms reach the wire too.
using brightoffice::tests::CorpusSecrets;
const char* const kApiPassword = CorpusSecrets::kApiPassword;
const char* const kMfaCode = CorpusSecrets::kMfaCode;
const char* const kCustomerPassword = CorpusSecrets::kCustomerPassword;
const char* const kTemporaryPassword = CorpusSecrets::kTemporaryPassword;
const char* const kNewPassword = CorpusSecrets::kNewPassword;

// The secret `text` shows in any form a reader can undo at sight (raw, character references of
// any length, predefined entities, CDATA splits), "" when none.
std::string FindSecret(const std::string& text) {
  return brightoffice::tests::ShownSecret(text, CorpusSecrets::All());
}

CannedReply ReplyFor(const HostileCase& c) {
  CannedReply r;
  const std::string behaviour = c.get("behaviour", "close");
  if (behaviour == "silent") {
    r.behaviour = CannedReply::Behaviour::kSilent;
  } else if (behaviour == "drop") {
    r.behaviour = CannedReply::Behaviour::kClose;
  } else {
    r.bytes = c.bytes;
    r.close_after = behaviour != "hold";
  }
  return r;
}

}  // namespace

TEST_CASE("the hostile-response corpus: each case ends in time with its expected outcome, no secret shown") {
  const auto corpus = brightoffice::tests::ReadHostileCorpus(BRIGHTOFFICE_HOSTILE_DIR);
  REQUIRE(corpus.size() >= 30);
  for (const HostileCase& c : corpus) {
    CAPTURE(c.name);
    if (const char* only = std::getenv("BRIGHTOFFICE_HOSTILE_ONLY"); only != nullptr && c.name != only) continue;
    // valgrind.sh leaves out the cases that push megabytes through the parser (minutes under
    // valgrind); they run in the normal and the ASan builds.
    if (const char* skip = std::getenv("BRIGHTOFFICE_HOSTILE_SKIP");
        skip != nullptr && ("," + std::string(skip) + ",").find("," + c.name + ",") != std::string::npos) {
      continue;
    }
    CannedServer server(ReplyFor(c));
    Options o;
    o.endpoint = server.endpoint();
    o.soap_version = c.get("soap", "1.1") == "1.2" ? SoapVersion::kSoap12 : SoapVersion::kSoap11;
    // Under valgrind or a sanitizer everything is slower: BRIGHTOFFICE_TIME_SCALE stretches the
    // deadline and the bound on the elapsed time.
    const int scale = tests::TimeScale();
    o.deadline = std::chrono::milliseconds(std::stoi(c.get("deadline", "3000")) * scale);
    std::vector<std::string> trace;
    o.trace = [&trace](std::string_view message) { trace.emplace_back(message); };
    auto client = Client::Create(o, {"api-user", Secret(kApiPassword)});
    REQUIRE(client.ok());
    CustomerInfo customer;
    customer.email = "jane@example.com";
    customer.mfa_code = Secret(kMfaCode);
    customer.password = Secret(kCustomerPassword);
    customer.temporary_password = Secret(kTemporaryPassword);
    customer.new_password = Secret(kNewPassword);

    const auto start = Clock::now();
    auto r = c.IsReset() ? client->CustomerUserSendResetPassword(customer) : client->ConfirmCustomerUserMfa(customer);
    const auto elapsed = Clock::now() - start;
    CHECK(elapsed < o.deadline + std::chrono::milliseconds(500) * scale);

    if (std::getenv("BRIGHTOFFICE_HOSTILE_DUMP") != nullptr) {
      std::printf("OUTCOME %s: %s\n", c.name.c_str(),
                  r.ok() ? ("result " + r->raw_code + " message=" + r->message.value_or("(none)").substr(0, 40)).c_str()
                         : r.status().ToString().c_str());
    }
    // One outcome, or several separated by '|' when each of them is right.
    const std::string expect = c.get("expect");
    REQUIRE_FALSE(expect.empty());
    const std::string outcome = r.ok() ? "result" : std::string(ToString(r.status().kind()));
    CHECK_MESSAGE(c.Allows(outcome), "expected " << expect << ", got " << r.status().ToString());
    if (r.ok()) {
      // Every delivered result is checked against the case's code, raw code and text, wherever
      // "result" stands among the expected outcomes (a case that may deliver one names them).
      CHECK(ToString(r->code) == c.get("code"));
      CHECK(r->raw_code == c.get("raw"));
      if (const std::string text = c.get("text"); !text.empty()) {
        REQUIRE(r->message.has_value());
        const std::string want = text == "(empty)" ? std::string() : text;
        CHECK(r->message->size() == want.size());
        CHECK(*r->message == want);
      }
    } else {
      const std::string message = r.status().ToString();
      CAPTURE(message);
      if (const std::string m = c.get("message"); !m.empty()) CHECK(message.find(m) != std::string::npos);
      if (const std::string f = c.get("fault_string"); !f.empty() && r.status().kind() == ErrorKind::kSoapFault) {
        CHECK(r.status().fault_string() == f);
      }
      // The status's texts and fault parts, and the exception value() throws (which it must).
      CHECK(brightoffice::tests::SecretsShownByOutcome(r, CorpusSecrets::All()) == "");
    }

    if (std::getenv("BRIGHTOFFICE_HOSTILE_DUMP") != nullptr) {
      for (const auto& t : trace) MESSAGE(t.substr(0, 2000));
    }
    // The trace: the request always (its secrets hidden), the response whenever bytes came.
    REQUIRE_FALSE(trace.empty());
    CHECK(trace[0].find("POST /Webservices/BrightOfficeAPI.asmx") == 0);
    CHECK(trace[0].find("<tempuri:Username>api-user</tempuri:Username><tempuri:Password>***</tempuri:Password>") !=
          std::string::npos);
    CHECK(trace[0].find("<tempuri:MFACode>***</tempuri:MFACode>") != std::string::npos);
    CHECK(trace[0].find("<tempuri:NewPassword>***</tempuri:NewPassword>") != std::string::npos);
    if (!c.bytes.empty() && c.get("behaviour", "close") != "silent" && c.get("behaviour") != "drop") {
      // Interim (1xx) answers may be shown as messages of their own, before the final one.
      const std::size_t interim = std::stoul(c.get("interim", "0"));
      CHECK(trace.size() >= 2);
      CHECK(trace.size() <= 2 + interim);
      if (trace.size() >= 2) CHECK(trace[1].compare(0, 4, c.bytes.substr(0, 4)) == 0);
      if (interim > 0) {
        std::string shown;
        for (std::size_t i = 1; i < trace.size(); ++i) shown += trace[i];
        CHECK(shown.find("HTTP/1.1 1") != std::string::npos);  // the interim answers are in the trace
      }
    } else {
      CHECK(trace.size() == 1);
    }
    for (const auto& t : trace) CHECK(FindSecret(t) == "");
  }
}
