// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#include <doctest/doctest.h>

#include "internal/text.h"

using brightoffice::ErrorKind;
using brightoffice::internal::Redactor;
using brightoffice::internal::ValidateXmlText;

TEST_CASE("text XML can carry is accepted") {
  for (const char* text : {"", "plain", "Zoë", "密码", "tab\tnew\nline\rcr", "emoji \xF0\x9F\x94\x91",
                           "<&>\"'", "\xEF\xBF\xBD"}) {
    CAPTURE(text);
    CHECK(ValidateXmlText("f", text).ok());
  }
}

TEST_CASE("invalid UTF-8 and characters XML forbids are refused without echoing the text") {
  const std::string cases[] = {
      std::string("a\x01z"), std::string("nul\0byte", 8), "\x7f ok but \x0b",
      "\xC3",                    // truncated
      "\xC0\xAF",                // overlong
      "\xE0\x80\xAF",            // overlong 3-byte
      "\xED\xA0\x80",            // surrogate
      "\xF4\x90\x80\x80",        // above U+10FFFF
      "\xFF", "\x80",            // invalid lead bytes
      "\xEF\xBF\xBE",            // U+FFFE
  };
  for (const auto& text : cases) {
    auto s = ValidateXmlText("CustomerInfo.MFACode", text);
    CHECK_FALSE(s.ok());
    if (!s.ok()) {
      CHECK(s.kind() == ErrorKind::kInvalidArgument);
      CHECK(s.message().find("CustomerInfo.MFACode") == 0);
    }
  }
  // U+007F is allowed by XML 1.0, U+000B is not: the message names the byte offset.
  auto s = ValidateXmlText("f", "\x7f ok but \x0b");
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("byte 9") != std::string::npos);
}

TEST_CASE("Redactor hides raw and XML-escaped secrets, longest first") {
  Redactor r;
  r.Add("p<w&d");
  r.Add("123456");
  r.Add("");  // ignored
  CHECK(r.Apply("code 123456 and p<w&d and p&lt;w&amp;d") == "code *** and *** and ***");
  CHECK(r.Apply("nothing here") == "nothing here");
  Redactor overlap;
  overlap.Add("abc");
  overlap.Add("abcdef");
  CHECK(overlap.Apply("xabcdefx abc") == "x***x ***");
}

TEST_CASE("Redactor matches a secret in any mix of raw characters and XML references") {
  Redactor r;
  r.Add("a&b<c\"d'e\u00e9");
  for (const char* form : {"a&b<c\"d'e\u00e9", "a&amp;b&lt;c&quot;d&apos;e\u00e9", "a&amp;b&lt;c\"d'e\u00e9",
                           "a&#38;b&#x3C;c&#34;d&#39;e&#233;", "a&#x26;b<c\"d&apos;e&#xE9;"}) {
    CAPTURE(form);
    CHECK(r.Apply(std::string("[") + form + "]") == "[***]");
  }
  CHECK(r.Apply("a&amp;b&lt;c") == "a&amp;b&lt;c");  // a prefix is not the secret
  CHECK(r.Apply("&bogus; &#xZZ; &") == "&bogus; &#xZZ; &");
}

TEST_CASE("Redactor: leading zeros, %XX escapes, CDATA edges and comments are all the same characters") {
  Redactor r;
  r.Add("cust-pw9");
  for (const char* form : {"cust-pw9", "cust&#x000000000000002D;pw&#0000057;", "cust%2Dpw%39", "cust<![CDATA[-]]>pw9",
                           "cu<!-- x -->st-pw<![CDATA[]]>9", "c&#117;st<![CDATA[-p]]>w%39"}) {
    const std::string text = std::string("[") + form + "]";
    CAPTURE(text);
    CHECK(r.Apply(text) == "[***]");
  }
  // A match may leave markup around it; the secret is gone either way.
  CHECK(r.Apply("[<![CDATA[cust-pw9]]>]") == "[***]]>]");
  CHECK(r.Apply("[cust]]>-pw9]") == "[***]");  // a stray CDATA end, as a reader would skip it
  Redactor odd;
  odd.Add("p]]>w<!--x");  // a secret holding such markup is still found raw
  CHECK(odd.Apply("[p]]>w<!--x]") == "[***]");
  CHECK(r.Apply("cust<!-- unterminated pw9") == "cust<!-- unterminated pw9");
}

TEST_CASE("Redactor::ApplyToHttp hides Authorization and Proxy-Authorization values whole") {
  Redactor r;
  r.Add("pw");
  const std::string in =
      "POST /x HTTP/1.1\r\nProxy-Authorization: Basic dXNlcjpwdw==\r\nauthorization: Bearer abc\r\n"
      "X-Authorization-Hint: keep\r\n\r\n<p>pw</p>";
  CHECK(r.ApplyToHttp(in) ==
        "POST /x HTTP/1.1\r\nProxy-Authorization: ***\r\nauthorization: ***\r\n"
        "X-Authorization-Hint: keep\r\n\r\n<p>***</p>");
}

TEST_CASE("Base64") {
  using brightoffice::internal::Base64;
  CHECK(Base64("") == "");
  CHECK(Base64("f") == "Zg==");
  CHECK(Base64("fo") == "Zm8=");
  CHECK(Base64("foo") == "Zm9v");
  CHECK(Base64("proxyuser:Pr0xy.Pass") == "cHJveHl1c2VyOlByMHh5LlBhc3M=");
}
