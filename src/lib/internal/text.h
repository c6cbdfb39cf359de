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

/// Replaces every occurrence of each non-empty secret in `text`, raw and XML-escaped, with
/// "***". Used on every text that reaches an error message or a trace.
class Redactor {
 public:
  void Add(std::string_view secret);
  std::string Apply(std::string_view text) const;

 private:
  std::vector<std::string> needles_;  // longest first
};

}  // namespace brightoffice::internal

#endif  // BRIGHTOFFICE_INTERNAL_TEXT_H
