// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#include "internal/xml_guard.h"

#include <array>
#include <string_view>

namespace brightoffice::internal {

namespace {

// Bytes that end a run of plain characters in one state: NUL and every non-ASCII byte (the
// UTF-8 and NUL checks), plus the state's own delimiters. Runs of other bytes are skipped in a
// tight loop: the byte-by-byte state machine cost about 8% of a keep-alive call (perf).
constexpr std::array<bool, 256> Stops(std::string_view delimiters) {
  std::array<bool, 256> table{};
  table[0] = true;
  for (int b = 0x80; b < 256; ++b) table[static_cast<std::size_t>(b)] = true;
  for (char d : delimiters) table[static_cast<unsigned char>(d)] = true;
  return table;
}
constexpr auto kTextStops = Stops("<&");
constexpr auto kQuoteStops = Stops("\"'&");
constexpr auto kNameStops = Stops(" \t\r\n/>");
constexpr auto kInTagStops = Stops("\"'=/>");
constexpr auto kSectionStops = Stops(">");  // every end of a comment, CDATA section or PI

constexpr bool IsSpace(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; }

// The index of the first byte at or after `i` that `stops` marks (n when none).
std::size_t Skip(const std::array<bool, 256>& stops, const char* data, std::size_t i, std::size_t n) {
  while (i < n && !stops[static_cast<unsigned char>(data[i])]) ++i;
  return i;
}

}  // namespace

bool XmlGuard::Fail(SafeText why) {
  error_ << std::move(why);
  return false;
}

bool XmlGuard::Utf8Lead(char ch) {
  const auto byte = static_cast<unsigned char>(ch);
  if (byte >= 0xC2 && byte <= 0xDF) utf8_pending_ = 1;
  else if (byte >= 0xE0 && byte <= 0xEF) utf8_pending_ = 2;
  else if (byte >= 0xF0 && byte <= 0xF4) utf8_pending_ = 3;
  else return Fail("the response is not valid UTF-8");
  return true;
}

void XmlGuard::EndName() {
  ++depth_;
  attributes_ = 0;
  std::string_view local = name_;
  if (const std::size_t colon = local.rfind(':'); colon != std::string_view::npos) local.remove_prefix(colon + 1);
  if (!result_element_.empty() && local == result_element_) ++results_;
}

bool XmlGuard::Feed(const char* data, std::size_t n) {
  if (failed()) return false;
  for (std::size_t i = 0; i < n; ++i) {
    if (utf8_pending_ > 0 || in_reference_) {
      // The rare states first: inside a UTF-8 sequence or an entity reference.
      const char ch = data[i];
      if (ch == '\0') return Fail("the response contains a NUL byte");
      if (utf8_pending_ > 0) {
        if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) return Fail("the response is not valid UTF-8");
        --utf8_pending_;
        continue;
      }
      if (static_cast<unsigned char>(ch) >= 0x80) {  // checked as UTF-8, not part of the name
        if (!Utf8Lead(ch)) return false;
        continue;
      }
      if (ch != ';') {
        // gSOAP reads at most 6 characters between '&' and ';' correctly (soap_char's buffer
        // holds 7, and a 7th leaves the ';' behind as text): a longer reference, even valid XML
        // with leading zeros ("&#x0000000039;") or beyond U+FFFF in hex, would be misread (as
        // NUL, cutting the text short, or as another character), so it is refused here.
        if (reference_.size() >= 6) return Fail("the response has a character or entity reference longer than gSOAP reads");
        reference_ += ch;
        continue;
      }
      in_reference_ = false;
      if (!reference_.empty() && reference_[0] == '#') {
        const bool hex = reference_.size() > 1 && (reference_[1] == 'x' || reference_[1] == 'X');
        const std::string_view digits = std::string_view(reference_).substr(hex ? 2 : 1);
        unsigned long value = 0;
        bool ok = !digits.empty();
        for (char d : digits) {
          const bool is_digit = (d >= '0' && d <= '9') || (hex && ((d >= 'a' && d <= 'f') || (d >= 'A' && d <= 'F')));
          ok = ok && is_digit;
          if (ok) value = value * (hex ? 16 : 10) + static_cast<unsigned long>(d <= '9' ? d - '0' : (d | 0x20) - 'a' + 10);
        }
        if (!ok) return Fail("the response has a malformed character reference");
        const bool xml_char = value == 0x9 || value == 0xA || value == 0xD || (value >= 0x20 && value <= 0xD7FF) ||
                              (value >= 0xE000 && value <= 0xFFFD) || (value >= 0x10000 && value <= 0x10FFFF);
        if (!xml_char) return Fail("the response has a character reference to a character XML does not allow");
        continue;
      }
      if (reference_ != "amp" && reference_ != "lt" && reference_ != "gt" && reference_ != "quot" &&
          reference_ != "apos") {
        // The entity's name is the server's text: quoted only through the redactor.
        error_ << SafeText("the response refers to an entity that is not predefined (&") << ServerText(reference_)
               << SafeText(";): entities declared in a DTD are never expanded");
        return false;
      }
      continue;
    }
    // Runs of bytes that cannot change the state, in one go.
    switch (state_) {
      case State::kText:
        i = Skip(kTextStops, data, i, n);
        break;
      case State::kQuote:
        // Stops at both quote characters; the other one is handled below like any byte.
        i = Skip(kQuoteStops, data, i, n);
        break;
      case State::kName: {
        const std::size_t end = Skip(kNameStops, data, i, n);
        if (name_.size() < 64) name_.append(data + i, std::min(end - i, 64 - name_.size()));
        i = end;
        break;
      }
      case State::kInTag: {
        // Attribute names and spaces: only whether a non-space byte came after a '/' matters.
        const std::size_t end = Skip(kInTagStops, data, i, n);
        for (std::size_t k = i; k < end && empty_tag_; ++k) {
          if (!IsSpace(data[k])) empty_tag_ = false;
        }
        i = end;
        break;
      }
      case State::kComment:
      case State::kCData:
      case State::kPi: {
        // Only the last three bytes matter, to see "-->", "]]>" or "?>" end the section.
        const std::size_t end = Skip(kSectionStops, data, i, n);
        if (end - i >= 3) {
          recent_.assign(data + end - 3, 3);
        } else if (end > i) {
          recent_.append(data + i, end - i);
          if (recent_.size() > 3) recent_.erase(0, recent_.size() - 3);
        }
        i = end;
        break;
      }
      default:
        break;
    }
    if (i == n) break;
    const char ch = data[i];
    const auto byte = static_cast<unsigned char>(ch);
    if (static_cast<unsigned char>(byte - 1) >= 0x7F) {  // NUL or not ASCII
      if (ch == '\0') return Fail("the response contains a NUL byte");
      if (!Utf8Lead(ch)) return false;
      if (state_ == State::kName && name_.size() < 64) name_ += ch;
      continue;
    }
    if (ch == '&' && (state_ == State::kText || state_ == State::kQuote)) {
      in_reference_ = true;
      reference_.clear();
      continue;
    }
    switch (state_) {
      case State::kText:
        if (ch == '<') state_ = State::kTagStart;
        break;
      case State::kTagStart:
        if (ch == '/') {
          state_ = State::kEndTag;
        } else if (ch == '!') {
          recent_ = "!";
          state_ = State::kBang;
        } else if (ch == '?') {
          recent_.clear();
          state_ = State::kPi;
        } else {
          name_.assign(1, ch);
          state_ = State::kName;
        }
        break;
      case State::kName:
        if (IsSpace(ch) || ch == '/' || ch == '>') {
          EndName();
          if (depth_ > max_depth_) {
            return Fail(SafeText("the response nests XML deeper than the limit of max_xml_depth (") +
                        SafeText::Number(max_depth_) + " levels)");
          }
          if (results_ > 1) {
            return Fail(SafeText("the response has more than one ") + SafeText::Trusted(result_element_) + " element");
          }
          empty_tag_ = ch == '/';
          state_ = State::kInTag;
          if (ch == '>') state_ = State::kText;
        } else if (name_.size() < 64) {
          name_ += ch;
        }
        break;
      case State::kInTag:
        if (ch == '"' || ch == '\'') {
          quote_ = ch;
          state_ = State::kQuote;
        } else if (ch == '=') {
          if (++attributes_ > kMaxAttributes) {
            return Fail(SafeText("the response has more than ") + SafeText::Number(kMaxAttributes) +
                        " attributes on one element");
          }
        } else if (ch == '>') {
          if (empty_tag_) --depth_;
          state_ = State::kText;
        }
        if (!IsSpace(ch) && ch != '>') empty_tag_ = ch == '/';
        break;
      case State::kQuote:
        if (ch == quote_) state_ = State::kInTag;
        break;
      case State::kEndTag:
        if (ch == '>') {
          if (depth_ > 0) --depth_;
          state_ = State::kText;
        }
        break;
      case State::kBang:
        recent_ += ch;
        if (recent_ == "!--") {
          recent_.clear();
          state_ = State::kComment;
        } else if (recent_ == "![CDATA[") {
          recent_.clear();
          state_ = State::kCData;
        } else if (recent_.size() >= 8 || ch == '>' || IsSpace(ch)) {
          in_subset_ = false;
          quote_ = 0;
          state_ = State::kDoctype;
          if (ch == '>') state_ = State::kText;
        }
        break;
      case State::kComment:
      case State::kCData:
      case State::kPi: {
        recent_ += ch;
        if (recent_.size() > 3) recent_.erase(0, recent_.size() - 3);
        const char* end = state_ == State::kComment ? "-->" : state_ == State::kCData ? "]]>" : "?>";
        const std::size_t len = state_ == State::kPi ? 2 : 3;
        if (recent_.size() >= len && recent_.compare(recent_.size() - len, len, end) == 0) state_ = State::kText;
        break;
      }
      case State::kDoctype:
        if (quote_ != 0) {
          if (ch == quote_) quote_ = 0;
        } else if (ch == '"' || ch == '\'') {
          quote_ = ch;
        } else if (ch == '[') {
          in_subset_ = true;
        } else if (ch == ']') {
          in_subset_ = false;
        } else if (ch == '>' && !in_subset_) {
          state_ = State::kText;
        }
        break;
    }
  }
  return true;
}

}  // namespace brightoffice::internal
