// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#include "internal/text.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace brightoffice::internal {
namespace {

bool IsXmlChar(std::uint32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

}  // namespace

Status ValidateXmlText(std::string_view field, std::string_view text) {
  auto fail = [&](std::size_t at, const char* why) {
    return Status(ErrorKind::kInvalidArgument,
                  std::string(field) + ": " + why + " at byte " + std::to_string(at));
  };
  std::size_t i = 0;
  while (i < text.size()) {
    // Runs of printable ASCII (nearly all text) in a tight loop; the rest decoded below.
    while (i < text.size() && static_cast<unsigned char>(text[i] - 0x20) < 0x5F) ++i;
    if (i == text.size()) break;
    auto b0 = static_cast<unsigned char>(text[i]);
    std::uint32_t cp = 0;
    std::size_t len = 0;
    if (b0 < 0x80) {
      cp = b0;
      len = 1;
    } else if (b0 >= 0xC2 && b0 <= 0xDF) {
      cp = b0 & 0x1F;
      len = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      cp = b0 & 0x0F;
      len = 3;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      cp = b0 & 0x07;
      len = 4;
    } else {
      return fail(i, "invalid UTF-8");
    }
    if (i + len > text.size()) return fail(i, "truncated UTF-8 sequence");
    for (std::size_t k = 1; k < len; ++k) {
      auto b = static_cast<unsigned char>(text[i + k]);
      if ((b & 0xC0) != 0x80) return fail(i, "invalid UTF-8");
      cp = (cp << 6) | (b & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return fail(i, "overlong UTF-8");
    if (cp >= 0xD800 && cp <= 0xDFFF) return fail(i, "UTF-8 encoded surrogate");
    if (cp > 0x10FFFF) return fail(i, "code point above U+10FFFF");
    if (!IsXmlChar(cp)) return fail(i, "character not allowed in XML");
    i += len;
  }
  return Status();
}

void WipeString(std::string& s) noexcept {
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
  s.clear();
}

void ServerText::Wipe() noexcept { WipeString(text_); }

void ServerMessage::Clear() noexcept {
  for (auto& part : parts_) {
    if (part.first) WipeString(part.second);
  }
  parts_.clear();
}

Redactor::~Redactor() {
  for (auto& needle : needles_) WipeString(needle);
}

SafeText Redactor::Render(const ServerMessage& message) const {
  std::string out;
  for (const auto& [from_server, text] : message.parts_) out += from_server ? Apply(text) : text;
  return SafeText(std::move(out));
}

void Redactor::Add(std::string_view secret) {
  if (secret.empty()) return;
  if (std::find(needles_.begin(), needles_.end(), secret) == needles_.end()) {
    needles_.emplace_back(secret);
  }
  std::stable_sort(needles_.begin(), needles_.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

namespace {

// Decodes the XML reference at text[pos] ('&' ... ';') into UTF-8; returns its length in the
// text, 0 when it is not a known reference. Numeric references may carry any number of leading
// zeros (valid XML: "&#x0000000039;" is '9'); the scan stops at the first byte that cannot
// continue one, so a run of '&' costs no more than its length.
std::size_t DecodeReference(std::string_view text, std::size_t pos, std::string& out) {
  static const std::pair<std::string_view, char> kNamed[] = {
      {"amp;", '&'}, {"lt;", '<'}, {"gt;", '>'}, {"quot;", '"'}, {"apos;", '\''}};
  const std::string_view rest = text.substr(pos + 1);
  for (const auto& [name, c] : kNamed) {
    if (rest.substr(0, name.size()) == name) {
      out.assign(1, c);
      return name.size() + 1;
    }
  }
  if (rest.empty() || rest[0] != '#') return 0;
  const bool hex = rest.size() > 1 && (rest[1] == 'x' || rest[1] == 'X');
  std::size_t i = hex ? 2 : 1;
  const std::size_t first_digit = i;
  std::uint32_t cp = 0;
  for (; i < rest.size(); ++i) {
    const int v = HexDigitValue(rest[i]);
    if (v < 0 || (!hex && v > 9)) break;
    cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(v);
    if (cp > 0x10FFFF) return 0;
  }
  if (i == first_digit || i >= rest.size() || rest[i] != ';') return 0;
  out.clear();
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
  return i + 2;  // '&', the name up to i, ';'
}

// Decodes a %XX escape at text[pos] into one byte; returns 3, or 0 when it is none.
std::size_t DecodePercent(std::string_view text, std::size_t pos, std::string& out) {
  const int byte = PercentEscapeAt(text, pos);
  if (byte < 0) return 0;
  out.assign(1, static_cast<char>(byte));
  return 3;
}

}  // namespace

std::size_t Redactor::MatchAt(std::string_view text, std::size_t pos, std::string_view secret) {
  std::size_t t = pos, s = 0;
  std::string decoded;
  while (s < secret.size()) {
    if (t >= text.size()) return 0;
    // XML markup that stands for no character at all: the edges of a CDATA section, wherever
    // they appear ("cust<![CDATA[-]]>pw" is "cust-pw", and a reader takes "cust]]>-pw" for it
    // too), and a comment. Decoding references inside a CDATA section as well only ever hides
    // more.
    // (Unless the secret itself holds that markup here.)
    if (text[t] == '<' && text.compare(t, 9, "<![CDATA[") == 0 && secret.compare(s, 9, "<![CDATA[") != 0) {
      t += 9;
      continue;
    }
    if (text[t] == ']' && text.compare(t, 3, "]]>") == 0 && secret.compare(s, 3, "]]>") != 0) {
      t += 3;
      continue;
    }
    if (text[t] == '<' && text.compare(t, 4, "<!--") == 0 && secret.compare(s, 4, "<!--") != 0) {
      const std::size_t end = text.find("-->", t + 4);
      if (end == std::string_view::npos) return 0;
      t = end + 3;
      continue;
    }
    if (text[t] == '&' || text[t] == '%') {
      const std::size_t n = text[t] == '&' ? DecodeReference(text, t, decoded) : DecodePercent(text, t, decoded);
      if (n > 0) {
        if (secret.substr(s, decoded.size()) != decoded) return 0;
        s += decoded.size();
        t += n;
        continue;
      }
    }
    if (text[t] != secret[s]) return 0;
    ++t;
    ++s;
  }
  return t - pos;
}

std::string Redactor::Apply(std::string_view text) const {
  if (needles_.empty()) return std::string(text);
  // Only positions that hold a secret's first byte or a character reference can start a match.
  bool may_start[256] = {};
  may_start[static_cast<unsigned char>('&')] = true;
  may_start[static_cast<unsigned char>('%')] = true;
  may_start[static_cast<unsigned char>('<')] = true;  // a CDATA section or comment before the secret
  may_start[static_cast<unsigned char>(']')] = true;
  for (const auto& needle : needles_) may_start[static_cast<unsigned char>(needle[0])] = true;
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (!may_start[static_cast<unsigned char>(text[i])]) {
      out += text[i++];
      continue;
    }
    std::size_t matched = 0;
    for (const auto& needle : needles_) {
      if ((matched = MatchAt(text, i, needle)) != 0) break;
    }
    if (matched != 0) {
      out += "***";
      i += matched;
    } else {
      out += text[i++];
    }
  }
  return out;
}

std::string Redactor::ApplyToHttp(std::string_view text) const {
  std::string in = Apply(text);
  std::string out;
  std::size_t i = 0;
  while (i < in.size()) {
    std::size_t eol = in.find('\n', i);
    if (eol == std::string::npos) eol = in.size();
    std::string_view line(in.data() + i, eol - i);
    std::string lower(line.substr(0, 20));
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool hidden = false;
    for (std::string_view h : {"authorization:", "proxy-authorization:"}) {
      if (lower.compare(0, h.size(), h) == 0) {
        out.append(line.substr(0, h.size()));
        out += " ***";
        if (!line.empty() && line.back() == '\r') out += '\r';
        hidden = true;
        break;
      }
    }
    if (!hidden) out.append(line);
    if (eol < in.size()) out += '\n';
    i = eol + 1;
  }
  return out;
}

std::string Base64(std::string_view bytes) {
  // EVP_EncodeBlock writes 4 characters per 3 bytes (the last group padded), then a NUL.
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

}  // namespace brightoffice::internal
