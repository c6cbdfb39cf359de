// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_INTERNAL_TEXT_H
#define BRIGHTOFFICE_INTERNAL_TEXT_H

#include <string>
#include <string_view>
#include <vector>

#include "brightoffice/status.h"

namespace brightoffice::internal {

/// OK when `text` is well-formed UTF-8 (no overlong forms, no surrogates, nothing above
/// U+10FFFF) made only of characters XML 1.0 allows; otherwise kInvalidArgument naming `field`
/// and the byte offset, never the text itself (it may be a secret).
Status ValidateXmlText(std::string_view field, std::string_view text);

/// Replaces every occurrence of each non-empty secret in `text` with "***", in every XML
/// form: each character of the secret may appear raw or as any character reference
/// (&amp; &lt; &gt; &quot; &apos;, &#NN; or &#xHH;, whatever subset a serializer escapes).
/// Used on every text that reaches an error message or a trace.
class Redactor {
 public:
  Redactor() = default;
  Redactor(const Redactor&) = delete;
  Redactor& operator=(const Redactor&) = delete;
  Redactor(Redactor&&) = default;  // moves the buffers: no copy of a secret is left behind
  /// Wipes its copies of the secrets.
  ~Redactor();
  void Add(std::string_view secret);
  std::string Apply(std::string_view text) const;
  /// Apply(), and in addition the whole value of every "Authorization:" and
  /// "Proxy-Authorization:" header line (case-insensitive) becomes "***".
  std::string ApplyToHttp(std::string_view text) const;

 private:
  // Length of the match of `secret` at text[pos], 0 when none.
  static std::size_t MatchAt(std::string_view text, std::size_t pos, std::string_view secret);
  std::vector<std::string> needles_;  // longest first
};

/// Standard base64 (with padding), e.g. for the credentials of a Basic Authorization header.
std::string Base64(std::string_view bytes);

}  // namespace brightoffice::internal

#endif  // BRIGHTOFFICE_INTERNAL_TEXT_H
