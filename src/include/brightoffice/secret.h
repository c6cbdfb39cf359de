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
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  Secret(const Secret& other) : value_(other.value_) {}
  Secret(Secret&& other) noexcept;
  Secret& operator=(const Secret& other);
  Secret& operator=(Secret&& other) noexcept;
  ~Secret();

  /// The secret text. Do not log it.
  std::string_view Reveal() const noexcept { return value_; }
  bool empty() const noexcept { return value_.empty(); }

 private:
  void Wipe() noexcept;
  std::string value_;
};

/// Secrets are never formatted as text.
std::ostream& operator<<(std::ostream&, const Secret&) = delete;

}  // namespace brightoffice

#endif  // BRIGHTOFFICE_SECRET_H
