#include "internal/text.h"

#include <algorithm>
#include <cstdint>

namespace brightoffice::internal {
namespace {

bool IsXmlChar(std::uint32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

std::string XmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

Status ValidateXmlText(std::string_view field, std::string_view text) {
  auto fail = [&](std::size_t at, const char* why) {
    return Status(ErrorKind::kInvalidArgument,
                  std::string(field) + ": " + why + " at byte " + std::to_string(at));
  };
  std::size_t i = 0;
  while (i < text.size()) {
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

void Redactor::Add(std::string_view secret) {
  if (secret.empty()) return;
  for (std::string candidate : {std::string(secret), XmlEscape(secret)}) {
    if (std::find(needles_.begin(), needles_.end(), candidate) == needles_.end()) {
      needles_.push_back(std::move(candidate));
    }
  }
  std::stable_sort(needles_.begin(), needles_.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string Redactor::Apply(std::string_view text) const {
  std::string out(text);
  for (const auto& needle : needles_) {
    std::size_t pos = 0;
    while ((pos = out.find(needle, pos)) != std::string::npos) {
      out.replace(pos, needle.size(), "***");
      pos += 3;
    }
  }
  return out;
}

}  // namespace brightoffice::internal
