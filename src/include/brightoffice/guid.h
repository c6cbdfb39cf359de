// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_GUID_H
#define BRIGHTOFFICE_GUID_H

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace brightoffice {

/// A .NET System.Guid as the BrightOffice API carries it (CustomerInfo/Id).
///
/// The default value is the nil guid 00000000-0000-0000-0000-000000000000, which is what a
/// caller that does not know the id must send: ASMX rejects an empty Id with a SOAP fault.
///
/// Thread Safety: a value type; distinct objects may be used from distinct threads.
class Guid {
 public:
  /// The nil guid.
  Guid() = default;
  /// The guid with these 16 bytes, in the order of its text form (as ToString() writes them).
  explicit Guid(const std::array<std::uint8_t, 16>& bytes) : bytes_(bytes) {}

  /// Parses the spellings ASMX accepts: 32 hex digits, with or without hyphens in the
  /// 8-4-4-4-12 layout, with or without surrounding braces, in any letter case.
  /// Returns std::nullopt for anything else (including the empty string).
  static std::optional<Guid> Parse(std::string_view text);
  /// True when Parse(text) would succeed.
  static bool IsValid(std::string_view text) { return Parse(text).has_value(); }
  /// The nil guid 00000000-0000-0000-0000-000000000000.
  static Guid Nil() { return Guid(); }

  /// Lower-case hyphenated form, e.g. "3f2504e0-4f89-11d3-9a0c-0305e82c3301".
  std::string ToString() const;
  /// True for the nil guid.
  bool IsNil() const noexcept;
  /// The 16 bytes, in the order of the text form.
  const std::array<std::uint8_t, 16>& bytes() const noexcept { return bytes_; }

  /// Same bytes (letter case and braces of the parsed text do not matter).
  friend bool operator==(const Guid& a, const Guid& b) noexcept { return a.bytes_ == b.bytes_; }
  /// Different bytes.
  friend bool operator!=(const Guid& a, const Guid& b) noexcept { return !(a == b); }

 private:
  std::array<std::uint8_t, 16> bytes_{};
};

}  // namespace brightoffice

#endif  // BRIGHTOFFICE_GUID_H
