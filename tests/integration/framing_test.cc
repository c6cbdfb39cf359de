// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// Every framing HTTP/1.1 allows a server, with bytes of the answer arriving late, over a
// sequence of keep-alive calls on one Client: each call must get the answer to its own request.
// The server tags each answer with its request's e-mail (in Message); a decoy answer with
// another tag hides in the bytes that belong to the previous HTTP message, so that a
// connection pooled before its answer was completely read hands the decoy (or the rest of the
// old message) to the next call (issue 12, item 2).
//
// A message is complete when Content-Length bytes of body were read, or the final chunk (and
// its trailers) of a chunked body, or the connection closed (neither: close-delimited). What
// arrives after a complete answer while the connection is idle is unasked-for; the client can
// see it (and must not reuse the connection) only if it is there before the next call.

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "brightoffice/client.h"
#include "scripted_server.h"
#include "test_certs.h"

using namespace brightoffice;
using brightoffice::tests::HttpHead;
using brightoffice::tests::ScriptedAnswer;
using brightoffice::tests::ScriptedRequest;
using brightoffice::tests::ScriptedServer;
using brightoffice::tests::SoapResult;
using std::chrono::milliseconds;

namespace {

constexpr int kCalls = 8;

std::string Hex(std::size_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%zx", n);
  return buf;
}

std::vector<std::string> XmlHeaders() { return {"Content-Type: text/xml; charset=utf-8"}; }

// The answer a confused client would take for the next call's: well-formed, but tagged wrong.
std::string Decoy() { return tests::HttpAnswer(SoapResult("decoy@example.com")); }

struct Framing {
  const char* name;
  // The answer to `request`, whose own envelope is `envelope`.
  std::function<ScriptedAnswer(const std::string& envelope)> answer;
};

std::vector<std::string> With(std::vector<std::string> h, const std::string& extra) {
  h.push_back(extra);
  return h;
}

const std::vector<Framing>& Framings() {
  static const std::vector<Framing> framings = {
      {"Content-Length exact",
       [](const std::string& env) {
         ScriptedAnswer a;
         a.Add(HttpHead(200, "OK", With(XmlHeaders(), "Content-Length: " + std::to_string(env.size()))) + env);
         return a;
       }},
      {"Content-Length larger than the envelope, whitespace arriving 150 ms later",
       [](const std::string& env) {
         const std::string rest(64, ' ');
         ScriptedAnswer a;
         a.Add(HttpHead(200, "OK", With(XmlHeaders(), "Content-Length: " + std::to_string(env.size() + rest.size()))) + env);
         a.Add(rest, milliseconds(150));
         return a;
       }},
      {"Content-Length covering a decoy answer after the envelope, arriving 100 ms later",
       [](const std::string& env) {
         const std::string rest = "\r\n" + Decoy();
         ScriptedAnswer a;
         a.Add(HttpHead(200, "OK", With(XmlHeaders(), "Content-Length: " + std::to_string(env.size() + rest.size()))) + env);
         a.Add(rest, milliseconds(100));
         return a;
       }},
      {"Content-Length covering junk after the envelope, half at once, half 200 ms later",
       [](const std::string& env) {
         const std::string junk = "<!-- junk -->HTTP/1.1 200 OK\r\n\r\nXXXXXXXXXXXXXXXXXXXXXXXX";
         ScriptedAnswer a;
         a.Add(HttpHead(200, "OK", With(XmlHeaders(), "Content-Length: " + std::to_string(env.size() + junk.size()))) +
               env + junk.substr(0, junk.size() / 2));
         a.Add(junk.substr(junk.size() / 2), milliseconds(200));
         return a;
       }},
      {"Content-Length, the body's last byte 50 ms after the rest",
       [](const std::string& env) {
         const std::string rest = "\n";
         ScriptedAnswer a;
         a.Add(HttpHead(200, "OK", With(XmlHeaders(), "Content-Length: " + std::to_string(env.size() + 1))) + env);
         a.Add(rest, milliseconds(50));
         return a;
       }},
      {"chunked, the final chunk 150 ms late",
       [](const std::string& env) {
         ScriptedAnswer a;
         a.Add(HttpHead(200, "OK", With(XmlHeaders(), "Transfer-Encoding: chunked")) + Hex(env.size()) + "\r\n" + env + "\r\n");
         a.Add("0\r\n\r\n", milliseconds(150));
         return a;
       }},
      {"chunked, a whitespace chunk and the final chunk late",
       [](const std::string& env) {
         ScriptedAnswer a;
         a.Add(HttpHead(200, "OK", With(XmlHeaders(), "Transfer-Encoding: chunked")) + Hex(env.size()) + "\r\n" + env + "\r\n");
         a.Add("20\r\n" + std::string(32, ' ') + "\r\n", milliseconds(80));
         a.Add("0\r\n\r\n", milliseconds(80));
         return a;
       }},
      {"chunked, a decoy inside a late chunk after the envelope",
       [](const std::string& env) {
         const std::string decoy = Decoy();
         ScriptedAnswer a;
         a.Add(HttpHead(200, "OK", With(XmlHeaders(), "Transfer-Encoding: chunked")) + Hex(env.size()) + "\r\n" + env + "\r\n");
         a.Add(Hex(decoy.size()) + "\r\n" + decoy + "\r\n0\r\n\r\n", milliseconds(100));
         return a;
       }},
      {"chunked, the final chunk with trailers, late",
       [](const std::string& env) {
         ScriptedAnswer a;
         a.Add(HttpHead(200, "OK", With(XmlHeaders(), "Transfer-Encoding: chunked")) + Hex(env.size()) + "\r\n" + env + "\r\n");
         a.Add("0\r\nX-Trailer: one\r\n", milliseconds(60));
         a.Add("X-Other: two\r\n\r\n", milliseconds(60));
         return a;
       }},
      {"chunked in many small chunks, each 5 ms apart",
       [](const std::string& env) {
         ScriptedAnswer a;
         a.Add(HttpHead(200, "OK", With(XmlHeaders(), "Transfer-Encoding: chunked")));
         for (std::size_t at = 0; at < env.size(); at += 97) {
           const std::string part = env.substr(at, 97);
           a.Add(Hex(part.size()) + "\r\n" + part + "\r\n", milliseconds(5));
         }
         a.Add("0\r\n\r\n", milliseconds(5));
         return a;
       }},
      {"chunked, extra bytes (a decoy) right after the final chunk",
       [](const std::string& env) {
         ScriptedAnswer a;
         a.Add(HttpHead(200, "OK", With(XmlHeaders(), "Transfer-Encoding: chunked")) + Hex(env.size()) + "\r\n" + env +
               "\r\n0\r\n\r\n" + Decoy());
         return a;
       }},
      {"Content-Length exact, a decoy right behind it in the same write",
       [](const std::string& env) {
         ScriptedAnswer a;
         a.Add(HttpHead(200, "OK", With(XmlHeaders(), "Content-Length: " + std::to_string(env.size()))) + env + Decoy());
         return a;
       }},
      {"neither (close-delimited), trailing whitespace 100 ms later, then close",
       [](const std::string& env) {
         ScriptedAnswer a;
         a.Add(HttpHead(200, "OK", XmlHeaders()) + env);
         a.Add("\r\n   \r\n", milliseconds(100));
         a.then = ScriptedAnswer::Then::kClose;
         return a;
       }},
      {"neither (close-delimited), a decoy 100 ms later, then close",
       [](const std::string& env) {
         ScriptedAnswer a;
         a.Add(HttpHead(200, "OK", XmlHeaders()) + env);
         a.Add(Decoy(), milliseconds(100));
         a.then = ScriptedAnswer::Then::kClose;
         return a;
       }},
      {"HTTP/1.0 keep-alive with Content-Length",
       [](const std::string& env) {
         ScriptedAnswer a;
         a.Add("HTTP/1.0 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nConnection: keep-alive\r\nContent-Length: " +
               std::to_string(env.size()) + "\r\n\r\n" + env);
         return a;
       }},
      {"HTTP/1.0 keep-alive, Content-Length covering a late decoy",
       [](const std::string& env) {
         const std::string rest = Decoy();
         ScriptedAnswer a;
         a.Add("HTTP/1.0 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nConnection: keep-alive\r\nContent-Length: " +
               std::to_string(env.size() + rest.size()) + "\r\n\r\n" + env);
         a.Add(rest, milliseconds(100));
         return a;
       }},
      {"HTTP/1.0 without Content-Length (close-delimited), a late decoy, then close",
       [](const std::string& env) {
         ScriptedAnswer a;
         a.Add("HTTP/1.0 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\n\r\n" + env);
         a.Add(Decoy(), milliseconds(100));
         a.then = ScriptedAnswer::Then::kClose;
         return a;
       }},
  };
  return framings;
}

// Framings whose HTTP message itself carries non-whitespace bytes after the envelope (inside
// its Content-Length, its chunks or its close-delimited body): such a body is not one XML
// document, so refusing the answer (malformed_response) is as right as delivering it - but
// never another request's answer, and the same way for every call.
bool JunkInBody(const std::string& name) {
  static const std::set<std::string> names = {
      "Content-Length covering a decoy answer after the envelope, arriving 100 ms later",
      "Content-Length covering junk after the envelope, half at once, half 200 ms later",
      "chunked, a decoy inside a late chunk after the envelope",
      "neither (close-delimited), a decoy 100 ms later, then close",
      "HTTP/1.0 keep-alive, Content-Length covering a late decoy",
      "HTTP/1.0 without Content-Length (close-delimited), a late decoy, then close",
  };
  return names.count(name) != 0;
}

std::string Email(int i) { return "caller" + std::to_string(i) + "@example.com"; }

struct Run {
  int delivered = 0;  // own answers
  int refused = 0;    // malformed_response where JunkInBody allows it
  std::vector<std::string> problems;
};

// `calls` calls on one keep-alive Client against a server answering call i with framing(i),
// then a control call answered with an exact Content-Length: whatever the framings left behind
// must not reach it. junk_in_body(i): whether call i may be refused as malformed_response.
Run CallsWith(const std::function<ScriptedAnswer(int, const std::string&)>& framing,
              const std::function<bool(int)>& junk_in_body, int calls = kCalls) {
  ScriptedServer server([&](const ScriptedRequest& r) {
    const std::string envelope = SoapResult(r.Element("Email"));
    if (r.index > calls) {
      ScriptedAnswer clean;
      clean.Add(tests::HttpAnswer(envelope));
      return clean;
    }
    return framing(r.index - 1, envelope);
  });
  Options o;
  o.endpoint = server.endpoint();
  o.keep_alive = true;
  o.deadline = std::chrono::seconds(3);
  auto client = Client::Create(o, {"api-user", Secret("api-secret")});
  REQUIRE(client.ok());
  Run run;
  for (int i = 0; i <= calls; ++i) {
    const std::string what = i < calls ? "call " + std::to_string(i) : std::string("the control call");
    CustomerInfo c;
    c.email = Email(i);
    c.mfa_code = Secret("123456");
    auto r = client->ConfirmCustomerUserMfa(c);
    if (r.ok() && r->message.value_or("") == Email(i)) {
      ++run.delivered;
    } else if (r.ok()) {
      run.problems.push_back(what + " got the answer tagged '" + r->message.value_or("") + "'");
    } else if (i < calls && junk_in_body(i) && r.status().kind() == ErrorKind::kMalformedResponse) {
      ++run.refused;
    } else {
      run.problems.push_back(what + ": " + r.status().ToString());
    }
  }
  // Nothing was sent twice.
  CHECK(static_cast<int>(server.requests().size()) <= calls + 1);
  return run;
}

}  // namespace

TEST_CASE("each framing: every call on one keep-alive Client gets the answer to its own request") {
  for (const Framing& f : Framings()) {
    const std::string name = f.name;
    CAPTURE(name);
    const bool junk = JunkInBody(name);
    const Run run = CallsWith([&f](int, const std::string& env) { return f.answer(env); }, [junk](int) { return junk; });
    for (const auto& p : run.problems) MESSAGE(name << ": " << p);
    CHECK(run.problems.empty());
    CHECK(run.delivered + run.refused == kCalls + 1);
    // Every call alike: all delivered, or (junk in the body) all refused; the control call is
    // always delivered.
    CHECK((run.refused == 0 || run.refused == kCalls));
  }
}

TEST_CASE("framings mixed on one connection: each call still gets its own answer") {
  // The n-th call is answered with the n-th framing, rotating through all of them, so that a
  // leftover of one kind of message meets the next kind.
  const auto& framings = Framings();
  const int calls = static_cast<int>(framings.size()) * 2;
  auto pick = [&framings](int i) -> const Framing& { return framings[static_cast<std::size_t>(i) % framings.size()]; };
  const Run run = CallsWith([&](int i, const std::string& env) { return pick(i).answer(env); },
                            [&](int i) { return JunkInBody(pick(i).name); }, calls);
  for (const auto& p : run.problems) MESSAGE(p);
  CHECK(run.problems.empty());
  CHECK(run.delivered + run.refused == calls + 1);
}

TEST_CASE("over HTTPS too: Content-Length covering a late decoy, and a late final chunk") {
  const tests::ScriptedServerOptions tls = tests::TlsOptions();
  int matched = 0;  // the two framings named above, found by the start of their names
  for (const Framing& f : Framings()) {
    const std::string name = f.name;
    if (name.rfind("Content-Length covering a decoy", 0) != 0 && name.rfind("chunked, the final chunk 150", 0) != 0) continue;
    ++matched;
    CAPTURE(name);
    ScriptedServer server(tls, [&f](const ScriptedRequest& r) { return f.answer(SoapResult(r.Element("Email"))); });
    Options o;
    o.endpoint = server.endpoint("localhost");
    o.ca_file = tests::TestPki::Get().ca_file;
    o.deadline = std::chrono::seconds(3);
    auto client = Client::Create(o, {"api-user", Secret("api-secret")});
    REQUIRE(client.ok());
    for (int i = 0; i < kCalls; ++i) {
      CustomerInfo c;
      c.email = Email(i);
      c.mfa_code = Secret("123456");
      auto r = client->ConfirmCustomerUserMfa(c);
      INFO(i << ": " << r.status().ToString());
      if (!r.ok() && JunkInBody(name)) {
        CHECK(r.status().kind() == ErrorKind::kMalformedResponse);
        continue;
      }
      REQUIRE(r.ok());
      CHECK(r->message.value_or("") == Email(i));
    }
  }
  REQUIRE(matched == 2);
}
