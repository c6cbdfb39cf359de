// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#include <doctest/doctest.h>

#include "brightoffice/guid.h"

using brightoffice::Guid;

TEST_CASE("the default guid is the nil guid") {
  Guid g;
  CHECK(g.IsNil());
  CHECK(g.ToString() == "00000000-0000-0000-0000-000000000000");
  CHECK(g == Guid::Nil());
}

TEST_CASE("every spelling ASMX accepts parses to the same guid") {
  const char* canonical = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
  for (const char* text : {"3f2504e0-4f89-11d3-9a0c-0305e82c3301", "3F2504E0-4F89-11D3-9A0C-0305E82C3301",
                           "{3f2504e0-4f89-11d3-9a0c-0305e82c3301}", "3f2504e04f8911d39a0c0305e82c3301",
                           "{3F2504E04F8911D39A0C0305E82C3301}"}) {
    CAPTURE(text);
    auto g = Guid::Parse(text);
    REQUIRE(g.has_value());
    CHECK(g->ToString() == canonical);
    CHECK_FALSE(g->IsNil());
    CHECK(Guid::IsValid(text));
  }
}

TEST_CASE("text that is not a guid is refused") {
  for (const char* text : {"", "guid", "3f2504e0-4f89-11d3-9a0c-0305e82c330",  // one digit short
                           "3f2504e0-4f89-11d3-9a0c-0305e82c33011", "3f2504e0+4f89-11d3-9a0c-0305e82c3301",
                           "3f2504e0-4f89-11d3-9a0c-0305e82c330g", "{3f2504e0-4f89-11d3-9a0c-0305e82c3301",
                           "3f2504e0-4f8911d3-9a0c-0305e82c3301-", " 3f2504e0-4f89-11d3-9a0c-0305e82c3301"}) {
    CAPTURE(text);
    CHECK_FALSE(Guid::Parse(text).has_value());
  }
}

TEST_CASE("bytes keep their order") {
  auto g = Guid::Parse("00112233-4455-6677-8899-aabbccddeeff");
  REQUIRE(g);
  CHECK(g->bytes()[0] == 0x00);
  CHECK(g->bytes()[1] == 0x11);
  CHECK(g->bytes()[15] == 0xff);
  CHECK(Guid(g->bytes()) == *g);
  CHECK(*g != Guid());
}
