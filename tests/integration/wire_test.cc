// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// What the client puts on the wire, checked with libxml2 against the help page's sample
// request: element names, order and namespaces (a namespace slip is silent on a real ASMX
// server), the SOAPAction header for SOAP 1.1 and the content type for SOAP 1.2. Also: the
// help page's sample responses, with real values, parse.

#include <doctest/doctest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "brightoffice/client.h"
#include "brightoffice/testing/mock_server.h"
#include "canned_server.h"

using namespace brightoffice;
using brightoffice::testing::MockServer;
using brightoffice::testing::MockServerOptions;
using brightoffice::tests::CannedReply;
using brightoffice::tests::CannedServer;
using brightoffice::tests::HttpResponse;

namespace {

constexpr char kTempuri[] = "http://tempuri.org/";
constexpr char kEnv11[] = "http://schemas.xmlsoap.org/soap/envelope/";
constexpr char kEnv12[] = "http://www.w3.org/2003/05/soap-envelope";

struct Doc {
  std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc{nullptr, xmlFreeDoc};
};

Doc Parse(const std::string& xml) {
  Doc d;
  d.doc.reset(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "request.xml", nullptr,
                            XML_PARSE_NONET | XML_PARSE_NOBLANKS));
  REQUIRE(d.doc != nullptr);
  return d;
}

std::vector<xmlNode*> Children(xmlNode* node) {
  std::vector<xmlNode*> out;
  for (xmlNode* c = node->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) out.push_back(c);
  }
  return out;
}

std::string Ns(xmlNode* n) { return n->ns && n->ns->href ? reinterpret_cast<const char*>(n->ns->href) : ""; }
std::string Name(xmlNode* n) { return reinterpret_cast<const char*>(n->name); }
std::string Text(xmlNode* n) {
  xmlChar* t = xmlNodeGetContent(n);
  std::string s = t ? reinterpret_cast<const char*>(t) : "";
  xmlFree(t);
  return s;
}

// Checks that `node` has exactly the children `names`, in that order, all in tempuri.
void ExpectChildren(xmlNode* node, const std::vector<std::string>& names) {
  auto kids = Children(node);
  std::vector<std::string> got;
  for (auto* k : kids) {
    got.push_back(Name(k));
    CHECK_MESSAGE(Ns(k) == kTempuri, Name(k) << " is in namespace '" << Ns(k) << "'");
  }
  CHECK(got == names);
}

std::string Header(const std::string& head, const std::string& name) {
  std::string lower = head;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  std::string key = "\r\n" + name + ":";
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
  auto at = lower.find(key);
  if (at == std::string::npos) return "<absent>";
  auto start = at + key.size();
  auto end = head.find("\r\n", start);
  std::string v = head.substr(start, end - start);
  v.erase(0, v.find_first_not_of(' '));
  return v;
}

using Method = StatusOr<ServiceResult> (Client::*)(const CustomerInfo&) const;

testing::RecordedRequest SendOne(SoapVersion version, const CustomerInfo& customer,
                                 Method method = &Client::ConfirmCustomerUserMfa) {
  MockServerOptions options;
  options.capture_requests = true;
  auto server = MockServer::Start(options);
  REQUIRE(server.ok());
  Options o;
  o.endpoint = (*server)->endpoint();
  o.soap_version = version;
  auto client = Client::Create(o, {"api-user", Secret("api-secret")});
  REQUIRE(client.ok());
  auto result = ((*client).*method)(customer);
  REQUIRE(result.ok());
  CHECK(result->succeeded());
  auto recorded = (*server)->recorded_requests();
  REQUIRE(recorded.size() == 1);
  return recorded[0];
}

CustomerInfo FullCustomer() {
  CustomerInfo c;
  c.id = *Guid::Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
  c.email = "jane@example.com";
  c.password = Secret("old-pw");
  c.mfa_code = Secret("123456");
  c.temporary_password = Secret("tmp-pw");
  c.new_password = Secret("new-pw");
  return c;
}

}  // namespace

TEST_CASE("each operation's request matches its help page's sample, element by element") {
  const std::pair<const char*, Method> operations[] = {
      {"ConfirmCustomerUserMFA", &Client::ConfirmCustomerUserMfa},
      {"CustomerUserSendResetPassword", &Client::CustomerUserSendResetPassword}};
  for (const auto& [operation, method] : operations)
  for (SoapVersion version : {SoapVersion::kSoap11, SoapVersion::kSoap12}) {
    const bool v11 = version == SoapVersion::kSoap11;
    CAPTURE(v11);
    CAPTURE(std::string(operation));
    auto request = SendOne(version, FullCustomer(), method);

    CHECK(request.head.rfind("POST /Webservices/BrightOfficeAPI.asmx HTTP/1.1\r\n", 0) == 0);
    if (v11) {
      CHECK(Header(request.head, "Content-Type") == "text/xml; charset=utf-8");
      CHECK(Header(request.head, "SOAPAction") == std::string("\"http://tempuri.org/") + operation + "\"");
    } else {
      const std::string ct = Header(request.head, "Content-Type");
      CHECK(ct.rfind("application/soap+xml; charset=utf-8", 0) == 0);
      CHECK(Header(request.head, "SOAPAction") == "<absent>");
    }
    CHECK(Header(request.head, "Content-Length") == std::to_string(request.body.size()));
    CHECK(Header(request.head, "User-Agent").rfind("brightoffice-cpp/", 0) == 0);

    Doc d = Parse(request.body);
    xmlNode* envelope = xmlDocGetRootElement(d.doc.get());
    CHECK(Name(envelope) == "Envelope");
    CHECK(Ns(envelope) == (v11 ? kEnv11 : kEnv12));
    auto env_children = Children(envelope);
    REQUIRE(env_children.size() == 1);
    xmlNode* body = env_children[0];
    CHECK(Name(body) == "Body");
    CHECK(Ns(body) == Ns(envelope));
    auto ops = Children(body);
    REQUIRE(ops.size() == 1);
    CHECK(Name(ops[0]) == operation);
    CHECK(Ns(ops[0]) == kTempuri);
    ExpectChildren(ops[0], {"CustomerInfo", "UserInfo"});
    auto parts = Children(ops[0]);
    REQUIRE(parts.size() == 2);
    ExpectChildren(parts[0], {"Id", "Email", "Password", "MFACode", "TemporaryPassword", "NewPassword"});
    ExpectChildren(parts[1], {"Username", "Password"});
    auto ci = Children(parts[0]);
    REQUIRE(ci.size() == 6);
    CHECK(Text(ci[0]) == "3f2504e0-4f89-11d3-9a0c-0305e82c3301");
    CHECK(Text(ci[1]) == "jane@example.com");
    CHECK(Text(ci[2]) == "old-pw");
    CHECK(Text(ci[3]) == "123456");
    CHECK(Text(ci[4]) == "tmp-pw");
    CHECK(Text(ci[5]) == "new-pw");
    auto ui = Children(parts[1]);
    CHECK(Text(ui[0]) == "api-user");
    CHECK(Text(ui[1]) == "api-secret");
  }
}

TEST_CASE("absent optionals are left out, empty ones are sent empty, the nil guid stands in for no id") {
  CustomerInfo c;
  c.email = "jane@example.com";
  c.mfa_code = Secret("123456");
  c.new_password = Secret("");
  auto request = SendOne(SoapVersion::kSoap11, c);
  Doc d = Parse(request.body);
  xmlNode* op = Children(Children(xmlDocGetRootElement(d.doc.get()))[0])[0];
  xmlNode* customer = Children(op)[0];
  ExpectChildren(customer, {"Id", "Email", "MFACode", "NewPassword"});
  auto kids = Children(customer);
  CHECK(Text(kids[0]) == "00000000-0000-0000-0000-000000000000");
  CHECK(Text(kids[3]).empty());
}

TEST_CASE("text that XML must escape, and UTF-8, arrive unchanged") {
  CustomerInfo c;
  c.email = "zoë+<tag>&\"'@example.com";
  c.mfa_code = Secret("123456");
  c.new_password = Secret("密码 a\tb\r\nc ]]> &amp;");
  auto request = SendOne(SoapVersion::kSoap12, c);
  Doc d = Parse(request.body);
  xmlNode* op = Children(Children(xmlDocGetRootElement(d.doc.get()))[0])[0];
  auto kids = Children(Children(op)[0]);
  REQUIRE(kids.size() == 4);
  CHECK(Text(kids[1]) == "zoë+<tag>&\"'@example.com");
  CHECK(Text(kids[3]) == "密码 a\tb\r\nc ]]> &amp;");
}

TEST_CASE("each operation's help-page sample responses, with real values, parse") {
  const std::pair<std::string, Method> operations[] = {
      {"ConfirmCustomerUserMFA", &Client::ConfirmCustomerUserMfa},
      {"CustomerUserSendResetPassword", &Client::CustomerUserSendResetPassword}};
  for (const auto& [operation, method] : operations) {
  CAPTURE(operation);
  const std::string v11 =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
      "<soap:Envelope xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">\n"
      "  <soap:Body>\n"
      "    <" + operation + "Response xmlns=\"http://tempuri.org/\">\n"
      "      <" + operation + "Result>\n"
      "        <SuccessCode>MISSINGRECORD</SuccessCode>\n"
      "        <Message>Customer user not found</Message>\n"
      "        <ExceptionMessage>Zoë 密码</ExceptionMessage>\n"
      "        <IsSystemError>true</IsSystemError>\n"
      "      </" + operation + "Result>\n"
      "    </" + operation + "Response>\n"
      "  </soap:Body>\n"
      "</soap:Envelope>";
  std::string v12 = v11;
  for (auto [from, to] : {std::pair<std::string, std::string>{"soap:", "soap12:"},
                          {"xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"",
                           "xmlns:soap12=\"http://www.w3.org/2003/05/soap-envelope\""}}) {
    for (auto at = v12.find(from); at != std::string::npos; at = v12.find(from, at + to.size())) {
      v12.replace(at, from.size(), to);
    }
  }
  REQUIRE(v12.find("soap12:Envelope") != std::string::npos);
  REQUIRE(v12.find("xmlns:soap12=\"http://www.w3.org/2003/05/soap-envelope\"") != std::string::npos);
  for (SoapVersion version : {SoapVersion::kSoap11, SoapVersion::kSoap12}) {
    const bool is11 = version == SoapVersion::kSoap11;
    CannedReply reply;
    reply.bytes = HttpResponse(200, is11 ? "text/xml; charset=utf-8" : "application/soap+xml; charset=utf-8",
                               is11 ? v11 : v12);
    CannedServer server(reply);
    Options o;
    o.endpoint = server.endpoint();
    o.soap_version = version;
    auto client = Client::Create(o, {"api-user", Secret("api-secret")});
    REQUIRE(client.ok());
    CustomerInfo c;
    c.email = "x@example.com";
    auto r = ((*client).*method)(c);
    INFO(r.status().ToString());
    REQUIRE(r.ok());
    CHECK(r->code == SuccessCode::kMissingRecord);
    CHECK(r->message == std::optional<std::string>("Customer user not found"));
    CHECK(r->exception_message == std::optional<std::string>("Zoë 密码"));
    CHECK(r->is_system_error);
  }
  }
  // An answer of the other operation is not this operation's answer.
  CannedServer other(CannedReply{CannedReply::Behaviour::kReply,
                                 HttpResponse(200, "text/xml; charset=utf-8",
                                              "<?xml version=\"1.0\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                                              "<soap:Body><ConfirmCustomerUserMFAResponse xmlns=\"http://tempuri.org/\">"
                                              "<ConfirmCustomerUserMFAResult><SuccessCode>SUCCESS</SuccessCode>"
                                              "<IsSystemError>false</IsSystemError></ConfirmCustomerUserMFAResult>"
                                              "</ConfirmCustomerUserMFAResponse></soap:Body></soap:Envelope>")});
  Options o;
  o.endpoint = other.endpoint();
  auto client = Client::Create(o, {"api-user", Secret("api-secret")});
  REQUIRE(client.ok());
  CustomerInfo c;
  c.email = "x@example.com";
  auto r = client->CustomerUserSendResetPassword(c);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().kind() == ErrorKind::kMalformedResponse);
  CHECK(r.status().message().find("CustomerUserSendResetPassword") != std::string::npos);
}

TEST_CASE("the mock serves the project's WSDL with its own address") {
  auto server = MockServer::Start();
  REQUIRE(server.ok());
  const std::string response = tests::HttpGet((*server)->port(), "/Webservices/BrightOfficeAPI.asmx?WSDL");
  CHECK(response.rfind("HTTP/1.1 200", 0) == 0);
  const auto body_at = response.find("\r\n\r\n");
  REQUIRE(body_at != std::string::npos);
  Doc d = Parse(response.substr(body_at + 4));
  CHECK(Name(xmlDocGetRootElement(d.doc.get())) == "definitions");
  const std::string location = "location=\"" + (*server)->endpoint() + "\"";
  auto first = response.find(location);
  CHECK(first != std::string::npos);
  CHECK(response.find(location, first + 1) != std::string::npos);  // both ports
  CHECK(response.find("location=\"https://www.spdoffice") == std::string::npos);
  CHECK(tests::HttpGet((*server)->port(), "/other").rfind("HTTP/1.1 404", 0) == 0);
}
