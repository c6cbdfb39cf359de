// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// Server text reaches messages and the trace only through the redactor (issue 11, class 2), as
// a library user meets it: every secret of the call, echoed by the server in every place it can
// put text (faultstring, faultcode, detail, SOAP 1.2 Reason, a Message, an undefined entity's
// name, an attribute, the HTTP reason phrase, a header value, an interim answer's header, a TLS
// certificate's subject) and in every spelling (raw, character references decimal and hex,
// zero-padded, very long, mixed with raw characters), must not show in the Status's message and
// fault fields, in the exception value() throws, nor in any trace line. "Show" means: readable
// after one decoding of XML references (tests/support/secret_scan.h). The hostile corpus holds
// one case of each form too; this test crosses them all.

#include <doctest/doctest.h>

#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

#include "brightoffice/client.h"
#include "corpus.h"
#include "scripted_server.h"
#include "secret_scan.h"
#include "test_certs.h"

using namespace brightoffice;
using brightoffice::tests::CorpusSecrets;
using brightoffice::tests::ScriptedAnswer;
using brightoffice::tests::ScriptedRequest;
using brightoffice::tests::ScriptedServer;
using brightoffice::tests::ScriptedServerOptions;
using brightoffice::tests::TestPki;

namespace {

const std::vector<std::string>& Secrets() { return CorpusSecrets::All(); }

struct Outcome {
  StatusOr<ServiceResult> result = Status(ErrorKind::kMalformedResponse, "not called");
  std::vector<std::string> trace;
};

Outcome CallWithAllSecrets(Options o) {
  Outcome out;
  o.deadline = std::chrono::seconds(5);
  o.trace = [&out](std::string_view t) { out.trace.emplace_back(t); };
  auto client = Client::Create(o, {"api-user", Secret(CorpusSecrets::kApiPassword)});
  REQUIRE(client.ok());
  CustomerInfo c;
  c.email = "jane@example.com";
  c.mfa_code = Secret(CorpusSecrets::kMfaCode);
  c.password = Secret(CorpusSecrets::kCustomerPassword);
  c.temporary_password = Secret(CorpusSecrets::kTemporaryPassword);
  c.new_password = Secret(CorpusSecrets::kNewPassword);
  out.result = client->ConfirmCustomerUserMfa(c);
  return out;
}

// Nothing the caller can see shows a secret.
void CheckNothingShown(const Outcome& o) {
  INFO(o.result.status().ToString());
  // The status's texts and fault parts, and the exception value() throws (which it must).
  CHECK(tests::SecretsShownByOutcome(o.result, Secrets()) == "");
  for (std::size_t i = 0; i < o.trace.size(); ++i) {
    CAPTURE(i);
    const std::string shown = tests::ShownSecret(o.trace[i], Secrets());
    CHECK_MESSAGE(shown == "", "trace line " << i << " shows '" << shown << "': " << o.trace[i].substr(0, 600));
  }
}

// `text` in one spelling, valid as XML character data.
std::string Spell(const std::string& text, const std::string& style) {
  if (style == "raw") return tests::XmlEscape(text);
  std::string out;
  char buf[96];
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned c = static_cast<unsigned char>(text[i]);
    if (style == "dec") std::snprintf(buf, sizeof buf, "&#%u;", c);
    else if (style == "hex") std::snprintf(buf, sizeof buf, "&#x%x;", c);
    else if (style == "HEX") std::snprintf(buf, sizeof buf, "&#x%X;", c);
    else if (style == "zeros_hex") std::snprintf(buf, sizeof buf, "&#x%010x;", c);
    else if (style == "zeros_dec") std::snprintf(buf, sizeof buf, "&#%07u;", c);
    else if (style == "long") std::snprintf(buf, sizeof buf, "&#x%064x;", c);
    else if (style == "long_dec") std::snprintf(buf, sizeof buf, "&#%050u;", c);
    else if (style == "mixed") {
      if (i % 3 == 0) {
        out += tests::XmlEscape(std::string(1, text[i]));
        continue;
      }
      std::snprintf(buf, sizeof buf, i % 3 == 1 ? "&#x%08x;" : "&#%06u;", c);
    } else if (style == "alternate") {  // every second character a reference, the rest raw
      if (i % 2 == 0) {
        out += tests::XmlEscape(std::string(1, text[i]));
        continue;
      }
      std::snprintf(buf, sizeof buf, "&#x0%x;", c);
    }
    out += buf;
  }
  return out;
}

const std::vector<std::string>& Styles() {
  static const std::vector<std::string> styles = {"raw",       "dec",  "hex",      "HEX",   "zeros_hex",
                                                  "zeros_dec", "long", "long_dec", "mixed", "alternate"};
  return styles;
}

// One answer with `echo` (already spelt) placed at `where`; "" for an unknown place.
std::string AnswerWith(const std::string& where, const std::string& echo) {
  if (where == "faultstring") {
    return tests::HttpAnswer(tests::SoapEnvelope(tests::kSoap11Envelope, "<soap:Fault><faultcode>soap:Server</faultcode><faultstring>bad " + echo +
                                                  "</faultstring><detail /></soap:Fault>"), 500);
  }
  if (where == "faultcode") {
    return tests::HttpAnswer(tests::SoapEnvelope(tests::kSoap11Envelope, "<soap:Fault><faultcode>soap:Server." + echo +
                                                  "</faultcode><faultstring>x</faultstring></soap:Fault>"), 500);
  }
  if (where == "faultcode alone") {
    return tests::HttpAnswer(tests::SoapEnvelope(tests::kSoap11Envelope, "<soap:Fault><faultcode>soap:" + echo + "</faultcode></soap:Fault>"), 500);
  }
  if (where == "detail") {
    return tests::HttpAnswer(tests::SoapEnvelope(tests::kSoap11Envelope, "<soap:Fault><faultcode>soap:Server</faultcode><faultstring>x</faultstring>"
                                              "<detail><e a=\"" + echo + "\">" + echo + "</e></detail></soap:Fault>"), 500);
  }
  if (where == "SOAP 1.2 reason") {
    return tests::HttpAnswer(tests::SoapEnvelope(tests::kSoap12Envelope, "<soap:Fault><soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code>"
                                              "<soap:Reason><soap:Text xml:lang=\"en\">bad " + echo +
                                              "</soap:Text></soap:Reason><soap:Detail>" + echo +
                                              "</soap:Detail></soap:Fault>"), 500,
                             {});  // Content-Type below is text/xml; gSOAP reads the envelope's version
  }
  if (where == "unknown element of a result") {
    return tests::HttpAnswer(tests::SoapEnvelope(tests::kSoap11Envelope,
                                      "<ConfirmCustomerUserMFAResponse xmlns=\"http://tempuri.org/\"><ConfirmCustomerUserMFAResult>"
                                      "<SuccessCode>SUCCESS</SuccessCode><Message>m</Message><Echo>" + echo +
                                      "</Echo></ConfirmCustomerUserMFAResult></ConfirmCustomerUserMFAResponse>"));
  }
  if (where == "malformed answer") {
    return tests::HttpAnswer(tests::SoapEnvelope(tests::kSoap11Envelope, "<Unexpected>" + echo + "</Unexpected>"));
  }
  if (where == "header") {
    return tests::HttpAnswer(tests::SoapResult("m"), 200, {"X-Echo: " + echo});
  }
  if (where == "reason phrase") {
    return "HTTP/1.1 500 Bad " + echo + "\r\nContent-Type: text/html\r\nContent-Length: 4\r\n\r\nnope";
  }
  if (where == "interim answer's header") {
    return "HTTP/1.1 100 Continue\r\nX-Echo: " + echo + "\r\n\r\n" + tests::HttpAnswer(tests::SoapResult("m"));
  }
  return "";
}

const std::vector<std::string>& Places() {
  static const std::vector<std::string> places = {
      "faultstring",   "faultcode", "faultcode alone", "detail", "SOAP 1.2 reason", "unknown element of a result",
      "malformed answer", "header",   "reason phrase",   "interim answer's header"};
  return places;
}

}  // namespace

TEST_CASE("every secret, echoed in every place and every spelling, shows nowhere") {
  // One server; each call gets the answer set for it (and the connection is closed after it).
  std::mutex mu;
  std::string answer;
  std::size_t calls = 0;
  ScriptedServer server([&](const ScriptedRequest&) {
    std::lock_guard<std::mutex> lock(mu);
    return ScriptedAnswer::Once(answer);
  });
  for (const std::string& place : Places()) {
    for (const std::string& style : Styles()) {
      for (const std::string& secret : Secrets()) {
        // In HTTP text (headers, reason phrase) "raw" is the secret as it is; in XML, escaped.
        const bool http_text = place == "header" || place == "reason phrase" || place == "interim answer's header";
        const std::string echo = http_text && style == "raw" ? secret : Spell(secret, style);
        {
          std::lock_guard<std::mutex> lock(mu);
          answer = AnswerWith(place, echo);
          REQUIRE_FALSE(answer.empty());
        }
        Options o;
        o.endpoint = server.endpoint();
        o.keep_alive = false;
        // The SOAP 1.2 fault goes to a SOAP 1.2 call; every other answer to a SOAP 1.1 one.
        if (place == "SOAP 1.2 reason") o.soap_version = SoapVersion::kSoap12;
        CAPTURE(place);
        CAPTURE(style);
        CAPTURE(secret);
        const Outcome out = CallWithAllSecrets(o);
        // The call reached the server (one request each) and its answer came back: the trace
        // holds the request, then the answer (an interim answer first, as a line of its own).
        CHECK(server.requests().size() == ++calls);
        REQUIRE(out.trace.size() >= 2);
        CHECK(out.trace[0].rfind("POST /Webservices/BrightOfficeAPI.asmx", 0) == 0);
        CHECK(out.trace[1].rfind(place == "interim answer's header" ? "HTTP/1.1 100 " : "HTTP/1.1 ", 0) == 0);
        CheckNothingShown(out);
      }
    }
  }
}

TEST_CASE("an undefined entity named after a secret: refused, saying so, without the name") {
  // Only names XML allows after '&' reach the pre-check as entity references; the MFA code is
  // all digits and is quoted all the same today.
  for (const std::string secret : {CorpusSecrets::kMfaCode, CorpusSecrets::kCustomerPassword,
                                   CorpusSecrets::kTemporaryPassword, CorpusSecrets::kNewPassword}) {
    for (const std::string& ref : {"&" + secret + ";", "&x" + secret + ";", "&" + secret + "x;"}) {
      for (const char* where_text : {"Message", "attribute", "faultstring"}) {
        const std::string where = where_text;
        std::string body;
        if (where == "Message") {
          body = tests::HttpAnswer(tests::SoapEnvelope(tests::kSoap11Envelope,
                                            "<ConfirmCustomerUserMFAResponse xmlns=\"http://tempuri.org/\"><ConfirmCustomerUserMFAResult>"
                                            "<SuccessCode>SUCCESS</SuccessCode><Message>a " + ref +
                                            "</Message></ConfirmCustomerUserMFAResult></ConfirmCustomerUserMFAResponse>"));
        } else if (where == "attribute") {
          body = tests::HttpAnswer(tests::SoapEnvelope(tests::kSoap11Envelope, "<X a=\"" + ref + "\"/>"));
        } else {
          body = tests::HttpAnswer(tests::SoapEnvelope(tests::kSoap11Envelope, "<soap:Fault><faultcode>soap:Server</faultcode><faultstring>" + ref +
                                                        "</faultstring></soap:Fault>"), 500);
        }
        ScriptedServer server([body](const ScriptedRequest&) { return ScriptedAnswer::Once(body); });
        Options o;
        o.endpoint = server.endpoint();
        CAPTURE(ref);
        CAPTURE(where);
        const Outcome out = CallWithAllSecrets(o);
        REQUIRE_FALSE(out.result.ok());
        CHECK(out.result.status().kind() == ErrorKind::kMalformedResponse);
        CHECK(out.result.status().message().find("entit") != std::string::npos);  // still says what is wrong
        CheckNothingShown(out);
      }
    }
  }
}

TEST_CASE("a TLS certificate whose subject carries a secret: refused, saying why, without the secret") {
  const TestPki& pki = TestPki::Get();
  struct Why {
    TestPki::Signer signer;
    bool expired;
    const char* reason;  // a part of OpenSSL's words the message keeps
  };
  const Why whys[] = {{TestPki::Signer::kSelf, false, "self-signed"},
                      {TestPki::Signer::kOtherCa, false, "unable to get local issuer certificate"},
                      {TestPki::Signer::kTestCa, true, "certificate has expired"}};
  int n = 0;
  auto check = [&](const std::string& spelled, const Why& why, bool in_cn) {
    const std::string cn = in_cn ? spelled : "localhost";
    const std::string org = in_cn ? "brightoffice-cpp tests" : spelled;
    const auto leaf = pki.MakeLeaf("secret-subject-" + std::to_string(n++), org, cn, why.signer, why.expired);
    ScriptedServer server(tests::TlsOptions(leaf), [](const ScriptedRequest&) { return ScriptedAnswer(); });
    Options o;
    o.endpoint = server.endpoint("localhost");
    o.ca_file = pki.ca_file;
    CAPTURE(spelled);
    CAPTURE(std::string(why.reason));
    CAPTURE(in_cn);
    const Outcome out = CallWithAllSecrets(o);
    REQUIRE_FALSE(out.result.ok());
    CHECK(out.result.status().kind() == ErrorKind::kTls);
    CHECK(out.result.status().message().find(why.reason) != std::string::npos);
    CheckNothingShown(out);
  };
  // Every secret in the CN, raw, inside other text and spelt with references; in the O under
  // each of the three reasons; and the CN under the other two reasons too.
  for (const std::string& secret : Secrets()) {
    for (const std::string& spelled : {secret, "x" + secret + "x", Spell(secret, "zeros_hex")}) {
      check(spelled, whys[0], true);
    }
    for (const Why& why : whys) check(secret, why, false);
  }
  for (const Why& why : {whys[1], whys[2]}) check(CorpusSecrets::kApiPassword, why, true);
}

TEST_CASE("the proxy password echoed by a proxy's answer to CONNECT shows nowhere") {
  const std::string password = "Pr0xy-S3cret";
  for (const std::string& style : Styles()) {
    const std::string echo = Spell(password, style);
    ScriptedServer proxy([echo](const ScriptedRequest&) {
      return ScriptedAnswer::Once("HTTP/1.1 407 Denied " + echo + "\r\nX-Echo: " + echo + "\r\nContent-Length: " +
                                  std::to_string(echo.size()) + "\r\n\r\n" + echo);
    });
    Options o;
    o.endpoint = "https://localhost:9/Webservices/BrightOfficeAPI.asmx";
    o.proxy_host = "127.0.0.1";
    o.proxy_port = proxy.port();
    o.proxy_username = "proxyuser";
    o.proxy_password = Secret(password);
    CAPTURE(style);
    const Outcome out = CallWithAllSecrets(o);
    REQUIRE_FALSE(out.result.ok());
    // The proxy's refusal is what the call ended on: one CONNECT, answered 407.
    CHECK(out.result.status().kind() == ErrorKind::kHttpStatus);
    CHECK(out.result.status().http_status() == 407);
    CHECK_FALSE(out.result.status().request_may_have_been_sent());
    const auto requests = proxy.requests();
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].RequestLine() == "CONNECT localhost:9 HTTP/1.1");
    const std::vector<std::string> secret = {password};
    CHECK(tests::SecretsShownByOutcome(out.result, secret) == "");
    for (const auto& t : out.trace) CHECK(tests::ShownSecret(t, secret) == "");
  }
}
