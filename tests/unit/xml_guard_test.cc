// XmlGuard, the streaming pre-check of response bodies: what it refuses, and that comments,
// CDATA, processing instructions, DOCTYPE subsets and quoted '>' do not confuse its counting,
// whatever the buffer boundaries.

#include <doctest/doctest.h>

#include <string>

#include "internal/xml_guard.h"

using brightoffice::internal::Redactor;
using brightoffice::internal::XmlGuard;

namespace {

// Feeds `xml` in pieces of `step` bytes; returns the error ("" when accepted).
std::string Check(const std::string& xml, unsigned depth = 4, std::size_t step = 1) {
  XmlGuard guard(depth, "ConfirmCustomerUserMFAResult");
  for (std::size_t i = 0; i < xml.size(); i += step) {
    if (!guard.Feed(xml.data() + i, std::min(step, xml.size() - i))) return Redactor().Render(guard.error()).str();
  }
  return "";
}

}  // namespace

TEST_CASE("accepts well-formed XML with tricky constructs, in any split") {
  const std::string xml =
      "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x \"a>b\">]><!-- <a><b><c><d><e> --><r a='>' b=\"/>\">"
      "<![CDATA[<x><y><z><w><v>]]><?pi <a><b><c><d><e> ?><s/><s /><t>&amp;&lt;&#233;&#xE9;\xC3\xA9</t></r>";
  for (std::size_t step : {1, 2, 3, 7, 64, 4096}) {
    CAPTURE(step);
    CHECK(Check(xml, 2, step) == "");
  }
}

TEST_CASE("refuses what gSOAP would mishandle") {
  CHECK(Check("<a><b><c><d><e/></d></c></b></a>", 4).find("max_xml_depth") != std::string::npos);
  CHECK(Check("<a><b><c><d/></c></b></a>", 4) == "");
  std::string attrs = "<a";
  for (int i = 0; i < 65; ++i) attrs += " x" + std::to_string(i) + "='1'";
  CHECK(Check(attrs + "/>").find("attributes") != std::string::npos);
  CHECK(Check(std::string("<a>x\0y</a>", 10)).find("NUL") != std::string::npos);
  CHECK(Check("<a>\xff</a>").find("UTF-8") != std::string::npos);
  CHECK(Check("<a>\xC3(</a>").find("UTF-8") != std::string::npos);
  CHECK(Check("<a>&lol;</a>").find("never expanded") != std::string::npos);
  CHECK(Check("<a b='&xxe;'/>").find("never expanded") != std::string::npos);
  CHECK(Check("<r><ConfirmCustomerUserMFAResult/><p:ConfirmCustomerUserMFAResult/></r>").find("more than one") !=
        std::string::npos);
  CHECK(Check("<r><ConfirmCustomerUserMFAResult/></r>") == "");
  CHECK(Check("<a>&#;</a>").find("malformed character reference") != std::string::npos);
  CHECK(Check("<a>&#x;</a>").find("malformed character reference") != std::string::npos);
  CHECK(Check("<a>&#12a;</a>").find("malformed character reference") != std::string::npos);
  CHECK(Check("<a>&#xFFFE;</a>").find("XML does not allow") != std::string::npos);
  CHECK(Check("<a>&#0;</a>").find("XML does not allow") != std::string::npos);
  CHECK(Check("<a b='&#x1;'/>").find("XML does not allow") != std::string::npos);
  CHECK(Check("<a>&#xD800;</a>").find("XML does not allow") != std::string::npos);
}

TEST_CASE("character references gSOAP reads correctly pass; longer ones (valid XML) are refused, not misread") {
  for (std::size_t step : {1, 3, 4096}) {
    CAPTURE(step);
    CHECK(Check("<a>&#x39;&#57;&#x0039;&#00057;&#xFFFD;&#65533;&#x0041;</a>", 4, step) == "");
    // gSOAP reads 6 characters of a reference: "&#x0000036;" would become NUL and cut the text,
    // "&#x1F600;" another character with a ';' left behind.
    for (const char* long_ref : {"&#x0000036;", "&#0000057;", "&#x1F600;", "&#128512;", "&#x10FFFF;"}) {
      CAPTURE(std::string(long_ref));
      CHECK(Check(std::string("<a>") + long_ref + "</a>", 4, step).find("longer than gSOAP reads") != std::string::npos);
      CHECK(Check(std::string("<a b='") + long_ref + "'/>", 4, step).find("longer than gSOAP reads") != std::string::npos);
    }
  }
}

TEST_CASE("the only result element that counts is the operation's") {
  XmlGuard guard(8, "CustomerUserSendResetPasswordResult");
  const std::string two = "<r><ConfirmCustomerUserMFAResult/><ConfirmCustomerUserMFAResult/></r>";
  CHECK(guard.Feed(two.data(), two.size()));
  XmlGuard other(8, "CustomerUserSendResetPasswordResult");
  const std::string dup = "<r><CustomerUserSendResetPasswordResult/><a:CustomerUserSendResetPasswordResult/></r>";
  CHECK_FALSE(other.Feed(dup.data(), dup.size()));
  CHECK(Redactor().Render(other.error()).str() == "the response has more than one CustomerUserSendResetPasswordResult element");
  XmlGuard any(8);  // a gSOAP application's call: no operation, no count
  CHECK(any.Feed(dup.data(), dup.size()));
}

TEST_CASE("an undefined entity's name reaches the message only through the redactor") {
  XmlGuard guard(8, "ConfirmCustomerUserMFAResult");
  const std::string xml = "<a>&71x93;</a>";
  REQUIRE_FALSE(guard.Feed(xml.data(), xml.size()));
  Redactor redactor;
  redactor.Add("71x93");
  const std::string shown = redactor.Render(guard.error()).str();
  CHECK(shown.find("71x93") == std::string::npos);
  CHECK(shown.find("(&***;)") != std::string::npos);
}

TEST_CASE("the verdict does not depend on where the buffers split") {
  // An ASMX-shaped answer, then variants with one delimiter or odd byte inserted at each
  // position: the runs skipped in one go and the byte-by-byte path must agree.
  const std::string base =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\""
      " xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'><soap:Body><ConfirmCustomerUserMFAResponse "
      "xmlns=\"http://tempuri.org/\"><ConfirmCustomerUserMFAResult><SuccessCode>SUCCESS</SuccessCode>"
      "<Message>caf\xC3\xA9 &amp; &#233; a=\"b\"</Message><ExceptionMessage /><IsSystemError>false</IsSystemError>"
      "</ConfirmCustomerUserMFAResult></ConfirmCustomerUserMFAResponse></soap:Body></soap:Envelope>";
  CHECK(Check(base, 8, base.size()) == "");
  const std::string inserts[] = {"<", ">", "&", "'", "\"", "/", "<a>", "</a>", std::string(1, '\0'), "\xC3",
                                 "\xA9", "\xE2\x82\xAC", "&x;", "<!--", "]]>", " ", "\n", "=",
                                 "ConfirmCustomerUserMFAResult>", "?>", "-->", "<?pi ", "<![CDATA[", "<!DOCTYPE r [", "]>"};
  std::size_t refused = 0;
  for (const std::string& insert : inserts) {
    for (std::size_t at = 0; at <= base.size(); ++at) {
      const std::string xml = base.substr(0, at) + insert + base.substr(at);
      const std::string whole = Check(xml, 8, xml.size());
      if (!whole.empty()) ++refused;
      for (std::size_t step : {1, 2, 5, 13, 64}) {
        if (Check(xml, 8, step) != whole) {
          FAIL_CHECK("insert '" << insert << "' at " << at << ", step " << step << ": "
                                << Check(xml, 8, step) << " vs " << whole);
        }
      }
    }
  }
  CHECK(refused > 1000);  // the inserts do reach the refusals, not only the accepting paths
}
