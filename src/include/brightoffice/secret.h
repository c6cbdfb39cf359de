// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_SECRET_H
#define BRIGHTOFFICE_SECRET_H

#include <iosfwd>
#include <string>
#include <string_view>

namespace brightoffice {

/// A password, MFA code or other secret text.
///
/// It cannot be streamed (operator<< is deleted) and has no implicit conversion to text: the
/// only way to read it is the explicitly named Reveal(). Its buffer is overwritten with zeros
/// (OPENSSL_cleanse) when it is destroyed or assigned over. Copies made by the caller from
/// Reveal() are the caller's to look after.
///
/// Thread Safety: a value type; distinct objects may be used from distinct threads.
class Secret {
 public:
  /// An empty secret.
  Secret() = default;
  /// Holds `value` (moved in: pass an rvalue to leave no copy behind).
  explicit Secret(std::string value) : value_(std::move(value)) {}
  /// A copy (wiped on destruction like the original).
  Secret(const Secret& other) : value_(other.value_) {}
  /// Takes the text of `other`, which is left empty and wiped.
  Secret(Secret&& other) noexcept;
  /// Wipes the current text, then copies `other`.
  Secret& operator=(const Secret& other);
  /// Wipes the current text, then takes that of `other`, which is left empty and wiped.
  Secret& operator=(Secret&& other) noexcept;
  /// Wipes the text.
  ~Secret();

  /// The secret text. Do not log it.
  std::string_view Reveal() const noexcept { return value_; }
  /// True when the text is empty.
  bool empty() const noexcept { return value_.empty(); }

 private:
  void Wipe() noexcept;
  std::string value_;
};

/// Secrets are never formatted as text.
std::ostream& operator<<(std::ostream&, const Secret&) = delete;

}  // namespace brightoffice

#endif  // BRIGHTOFFICE_SECRET_H
