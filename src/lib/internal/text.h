// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_INTERNAL_TEXT_H
#define BRIGHTOFFICE_INTERNAL_TEXT_H

// Text that may be shown, text that came from the server, and the redactor between them.
//
// The rule this file makes structural: bytes that came from the server (fault strings, headers,
// XML the pre-check quotes, a certificate's subject, the wire itself) are held as ServerText,
// which has no accessor: the only way to turn them into something a Status message, a fault
// field or the trace can take is a Redactor, which returns SafeText. SafeText is made from
// string literals, numbers and the redactor's output, and from Trusted() text that no server
// byte can reach (errno strings, OpenSSL's fixed reason strings, the caller's own options).

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "brightoffice/status.h"

namespace brightoffice::internal {

class Redactor;

/// Text fit for a message, a fault field or the trace: never holds a secret.
class SafeText {
 public:
  SafeText() = default;
  /// A string literal of the library's own.
  template <std::size_t N>
  SafeText(const char (&literal)[N]) : text_(literal, N - 1) {}  // NOLINT(google-explicit-constructor)
  /// A number.
  static SafeText Number(long long value) { return SafeText(std::to_string(value)); }
  /// Text no server byte reaches: errno strings, OpenSSL's fixed reason strings, values the
  /// caller configured (a host name, a limit). Never text read from the connection.
  static SafeText Trusted(std::string_view text) { return SafeText(std::string(text)); }

  SafeText& operator+=(const SafeText& more) {
    text_ += more.text_;
    return *this;
  }
  friend SafeText operator+(SafeText a, const SafeText& b) { return a += b; }
  bool empty() const noexcept { return text_.empty(); }
  const std::string& str() const noexcept { return text_; }
  std::string take() && { return std::move(text_); }

 private:
  friend class Redactor;
  explicit SafeText(std::string text) : text_(std::move(text)) {}
  std::string text_;
};

/// Bytes that came from the server. Opaque: shown only through Redactor. Wiped when destroyed
/// (the wire trace holds the request, secrets included, in the same type).
class ServerText {
 public:
  ServerText() = default;
  explicit ServerText(std::string_view text) : text_(text) {}
  ServerText(const ServerText&) = default;
  ServerText& operator=(const ServerText&) = default;
  ServerText(ServerText&&) = default;
  ServerText& operator=(ServerText&&) = default;
  ~ServerText() { Wipe(); }

  bool empty() const noexcept { return text_.empty(); }
  std::size_t size() const noexcept { return text_.size(); }
  void append(const char* data, std::size_t n) { text_.append(data, n); }
  void append(std::string_view more) { text_.append(more); }
  /// For decisions only (never for output): whether the text contains `needle`.
  bool contains(std::string_view needle) const { return text_.find(needle) != std::string::npos; }
  /// Overwrites the bytes and empties the text.
  void Wipe() noexcept;

 private:
  friend class Redactor;
  friend class ServerMessage;
  std::string text_;
};

/// A message that quotes the server: library words and server parts, joined into SafeText only
/// by Redactor::Render.
class ServerMessage {
 public:
  ServerMessage() = default;
  ServerMessage(const ServerMessage&) = default;
  ServerMessage& operator=(const ServerMessage&) = default;
  ServerMessage(ServerMessage&&) = default;
  ServerMessage& operator=(ServerMessage&&) = default;
  ~ServerMessage() { Clear(); }
  ServerMessage& operator<<(SafeText words) {
    parts_.emplace_back(false, std::move(words).take());
    return *this;
  }
  ServerMessage& operator<<(const ServerText& quoted) {
    parts_.emplace_back(true, quoted.text_);
    return *this;
  }
  bool empty() const noexcept { return parts_.empty(); }
  /// Wipes the server parts and empties the message.
  void Clear() noexcept;

 private:
  friend class Redactor;
  std::vector<std::pair<bool, std::string>> parts_;  // (from the server, text)
};

/// OK when `text` is well-formed UTF-8 (no overlong forms, no surrogates, nothing above
/// U+10FFFF) made only of characters XML 1.0 allows; otherwise kInvalidArgument naming `field`
/// and the byte offset, never the text itself (it may be a secret).
Status ValidateXmlText(std::string_view field, std::string_view text);

/// Replaces every occurrence of each non-empty secret with "***", in every form a serializer or
/// a server may write it: each character raw, as any XML character reference (&amp; &lt; &gt;
/// &quot; &apos;, &#NN; or &#xHH; with any number of leading zeros) or %XX-escaped, in any mix,
/// with CDATA section edges and comments anywhere in between ("cust<![CDATA[-]]>pw").
/// Every text that reaches an error message, a fault field or a trace passes through it.
class Redactor {
 public:
  Redactor() = default;
  Redactor(const Redactor&) = delete;
  Redactor& operator=(const Redactor&) = delete;
  Redactor(Redactor&&) = default;  // moves the buffers: no copy of a secret is left behind
  /// Wipes its copies of the secrets.
  ~Redactor();
  void Add(std::string_view secret);

  /// Server text, fit to show.
  SafeText Redact(const ServerText& text) const { return SafeText(Apply(text.text_)); }
  /// A whole HTTP message: Redact(), and the whole value of every Authorization and
  /// Proxy-Authorization header (case-insensitive) becomes "***".
  SafeText RedactHttp(const ServerText& text) const { return SafeText(ApplyToHttp(text.text_)); }
  /// A message quoting the server: its server parts redacted.
  SafeText Render(const ServerMessage& message) const;

  /// The string forms of the above (for the unit test of the matching).
  std::string Apply(std::string_view text) const;
  std::string ApplyToHttp(std::string_view text) const;

 private:
  // Length of the match of `secret` at text[pos], 0 when none.
  static std::size_t MatchAt(std::string_view text, std::size_t pos, std::string_view secret);
  std::vector<std::string> needles_;  // longest first
};

/// The value of the hexadecimal digit `c`, -1 when it is none.
constexpr int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// The byte that the %XX escape at text[pos] stands for, -1 when there is none there.
constexpr int PercentEscapeAt(std::string_view text, std::size_t pos) {
  if (pos + 2 >= text.size() || text[pos] != '%') return -1;
  const int hi = HexDigitValue(text[pos + 1]), lo = HexDigitValue(text[pos + 2]);
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

/// Standard base64 (with padding), e.g. for the credentials of a Basic Authorization header.
std::string Base64(std::string_view bytes);

/// Overwrites a string's bytes (OPENSSL_cleanse) and empties it.
void WipeString(std::string& s) noexcept;

}  // namespace brightoffice::internal

#endif  // BRIGHTOFFICE_INTERNAL_TEXT_H
