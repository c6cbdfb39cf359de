// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_TESTS_SECRET_SCAN_H
#define BRIGHTOFFICE_TESTS_SECRET_SCAN_H

// Whether a text shows a secret in any form a reader can undo at sight: raw, or spelt with XML
// character references of any length (&#x0000000039; &#0000057; &#57; &#x39;), the predefined
// entities (&amp; &lt; &gt; &quot; &apos;), split by CDATA section markers, in any mix. The
// text is normalised once (references decoded, CDATA markers dropped) and searched as it is
// and normalised. Header-only: used by tests and by the fuzzers (no test framework in here).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "brightoffice/status.h"

namespace brightoffice::tests {

/// UTF-8 of a code point (invalid ones as U+FFFD).
inline void AppendUtf8(std::uint32_t cp, std::string& out) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

/// `text` with every character reference (any number of digits) and predefined entity decoded
/// and every "<![CDATA[" and "]]>" removed. Anything else stays as it is.
inline std::string NormalizeXmlText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 9, "<![CDATA[") == 0) {
      i += 9;
      continue;
    }
    if (text.compare(i, 3, "]]>") == 0) {
      i += 3;
      continue;
    }
    if (text[i] == '&') {
      static const std::pair<std::string_view, char> kNamed[] = {
          {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
      bool named = false;
      for (const auto& [name, ch] : kNamed) {
        if (text.compare(i, name.size(), name) == 0) {
          out += ch;
          i += name.size();
          named = true;
          break;
        }
      }
      if (named) continue;
      if (i + 2 < text.size() && text[i + 1] == '#') {
        const bool hex = text[i + 2] == 'x' || text[i + 2] == 'X';
        std::size_t j = i + (hex ? 3 : 2);
        std::uint64_t cp = 0;
        bool digits = false, overflow = false;
        for (; j < text.size(); ++j) {
          const char c = text[j];
          int v;
          if (c >= '0' && c <= '9') {
            v = c - '0';
          } else if (hex && c >= 'a' && c <= 'f') {
            v = c - 'a' + 10;
          } else if (hex && c >= 'A' && c <= 'F') {
            v = c - 'A' + 10;
          } else {
            break;
          }
          digits = true;
          cp = cp * (hex ? 16 : 10) + static_cast<std::uint64_t>(v);
          if (cp > 0x10FFFF) overflow = true;
        }
        if (digits && j < text.size() && text[j] == ';') {
          AppendUtf8(overflow ? 0xFFFD : static_cast<std::uint32_t>(cp), out);
          i = j + 1;
          continue;
        }
      }
    }
    out += text[i++];
  }
  return out;
}

/// The first of `secrets` that `text` shows (raw or normalised), "" when none.
inline std::string ShownSecret(std::string_view text, const std::vector<std::string>& secrets) {
  const std::string normalized = NormalizeXmlText(text);
  for (const auto& s : secrets) {
    if (s.empty()) continue;
    if (text.find(s) != std::string_view::npos || normalized.find(s) != std::string::npos) return s;
  }
  return "";
}

/// Where a call's outcome shows one of `secrets` to its caller: the Status's message(),
/// ToString(), fault_code(), fault_string() and fault_detail(); for a failure also the
/// BadStatusOrAccess that value() throws (its what(), and its status's message, ToString() and
/// fault parts). A failure whose value() does not throw BadStatusOrAccess is a finding too. The
/// findings as "<place> shows '<secret>'", separated by "; "; "" when there is none.
template <typename T>
std::string SecretsShownByOutcome(const StatusOr<T>& r, const std::vector<std::string>& secrets) {
  std::string found;
  auto note = [&found](const std::string& finding) {
    if (!found.empty()) found += "; ";
    found += finding;
  };
  auto scan = [&](const std::string& place, std::string_view text) {
    if (const std::string s = ShownSecret(text, secrets); !s.empty()) note(place + " shows '" + s + "'");
  };
  auto scan_status = [&](const std::string& prefix, const Status& s) {
    scan(prefix + "message()", s.message());
    scan(prefix + "ToString()", s.ToString());
    scan(prefix + "fault_code()", s.fault_code());
    scan(prefix + "fault_string()", s.fault_string());
    scan(prefix + "fault_detail()", s.fault_detail());
  };
  scan_status("the status's ", r.status());
  if (!r.ok()) {
    try {
      (void)r.value();
      note("value() of a failure did not throw");
    } catch (const BadStatusOrAccess& e) {
      scan("the exception's what()", e.what());
      scan_status("the exception's status's ", e.status());
    } catch (...) {
      note("value() of a failure threw something other than BadStatusOrAccess");
    }
  }
  return found;
}

}  // namespace brightoffice::tests

#endif  // BRIGHTOFFICE_TESTS_SECRET_SCAN_H
