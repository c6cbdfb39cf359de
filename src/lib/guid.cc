// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#include "brightoffice/guid.h"

#include "internal/text.h"

namespace brightoffice {
std::optional<Guid> Guid::Parse(std::string_view text) {
  if (text.size() >= 2 && text.front() == '{' && text.back() == '}') {
    text = text.substr(1, text.size() - 2);
  }
  const bool hyphenated = text.size() == 36;
  if (!hyphenated && text.size() != 32) return std::nullopt;
  std::array<std::uint8_t, 16> bytes{};
  std::size_t nibble = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (hyphenated && (i == 8 || i == 13 || i == 18 || i == 23)) {
      if (text[i] != '-') return std::nullopt;
      continue;
    }
    const int v = internal::HexDigitValue(text[i]);
    if (v < 0) return std::nullopt;
    bytes[nibble / 2] = static_cast<std::uint8_t>(bytes[nibble / 2] | (nibble % 2 ? v : v << 4));
    ++nibble;
  }
  return Guid(bytes);
}

std::string Guid::ToString() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(36, '-');  // the hyphens in place; each byte's two digits around them
  std::size_t at = 0;
  for (std::size_t i = 0; i < bytes_.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) ++at;
    out[at++] = kHex[bytes_[i] >> 4];
    out[at++] = kHex[bytes_[i] & 0xF];
  }
  return out;
}

bool Guid::IsNil() const noexcept {
  for (auto b : bytes_) {
    if (b != 0) return false;
  }
  return true;
}

}  // namespace brightoffice
