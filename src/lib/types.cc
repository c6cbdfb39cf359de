// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#include "brightoffice/types.h"

#include <array>
#include <utility>

namespace brightoffice {
namespace {

constexpr std::array<std::pair<SuccessCode, std::string_view>, 6> kCodes = {{
    {SuccessCode::kSuccess, "SUCCESS"},
    {SuccessCode::kSystemError, "SYSTEMERROR"},
    {SuccessCode::kLoginError, "LOGINERROR"},
    {SuccessCode::kOther, "OTHER"},
    {SuccessCode::kMissingRecord, "MISSINGRECORD"},
    {SuccessCode::kParameterError, "PARAMETERERROR"},
}};

}  // namespace

std::string_view ToString(SuccessCode code) noexcept {
  for (const auto& [c, text] : kCodes) {
    if (c == code) return text;
  }
  return "UNKNOWN";
}

SuccessCode ParseSuccessCode(std::string_view wire_text) noexcept {
  for (const auto& [c, text] : kCodes) {
    if (text == wire_text) return c;
  }
  return SuccessCode::kUnknown;
}

}  // namespace brightoffice
