// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_INTERNAL_XML_GUARD_H
#define BRIGHTOFFICE_INTERNAL_XML_GUARD_H

#include <cstddef>
#include <string>
#include <string_view>

#include "internal/text.h"

namespace brightoffice::internal {

/// A streaming pre-check of the response XML, fed the body (decompressed) before gSOAP parses
/// it. gSOAP skips unknown elements without applying its maxlevel and handles many attributes
/// in quadratic time (20000 attributes: more than 3 s), so these limits are enforced here:
/// nesting depth, attributes per element, NUL bytes, references to entities other than the predefined
/// and numeric ones (gSOAP would turn them into U+007F), character references gSOAP would
/// misread (more than 6 characters between '&' and ';', or to a character XML does not allow), UTF-8 well-formedness (gSOAP would
/// read bytes that are not UTF-8 as Latin-1), and at most one result element of the
/// operation (its name from the operation's description; none for a gSOAP application's call).
/// Its error quotes the server (an entity's name) only as ServerText.
class XmlGuard {
 public:
  static constexpr std::size_t kMaxAttributes = 64;

  explicit XmlGuard(unsigned max_depth = 32, std::string_view result_element = {})
      : max_depth_(max_depth), result_element_(result_element) {}
  /// Returns false, with error() set, at the first violation.
  bool Feed(const char* data, std::size_t n);
  /// Why Feed() refused the body; empty while it did not.
  const ServerMessage& error() const { return error_; }
  bool failed() const { return !error_.empty(); }

 private:
  enum class State { kText, kTagStart, kName, kInTag, kQuote, kEndTag, kBang, kComment, kCData, kPi, kDoctype };
  bool Fail(SafeText why);
  bool Utf8Lead(char ch);  // a UTF-8 lead byte: how many continuation bytes follow, or Fail
  void EndName();

  unsigned max_depth_;
  std::string_view result_element_;
  State state_ = State::kText;
  unsigned depth_ = 0;
  std::size_t attributes_ = 0;
  std::size_t results_ = 0;
  char quote_ = 0;
  int utf8_pending_ = 0;  // continuation bytes still expected
  bool in_reference_ = false;  // inside "&...;" in text or an attribute value
  std::string reference_;
  bool empty_tag_ = false;
  bool in_subset_ = false;
  std::string name_;   // the current start tag's name (first 64 bytes)
  std::string recent_; // the last bytes of a comment/CDATA/PI/"<!" opening
  ServerMessage error_;
};

}  // namespace brightoffice::internal

#endif  // BRIGHTOFFICE_INTERNAL_XML_GUARD_H
