// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#include "internal/operations.h"

#include <openssl/crypto.h>

#include <array>
#include <string_view>

#include "internal/text.h"

namespace brightoffice::internal::customer_user {
namespace {

// The six codes in the order of the service's enumeration: the order an enum generated from
// the WSDL has when SuccessCode was not mapped to a string.
constexpr std::array<std::string_view, 6> kWireCodes = {
    "SUCCESS", "SYSTEMERROR", "LOGINERROR", "OTHER", "MISSINGRECORD", "PARAMETERERROR"};

// Templates, so that only the branch for the generated type is compiled.
template <typename Code>
std::string CodeText(const Code& code) {
  if constexpr (std::is_enum_v<Code>) {
    auto index = static_cast<std::size_t>(code);
    return index < kWireCodes.size() ? std::string(kWireCodes[index]) : std::to_string(index);
  } else {
    return std::string(code);
  }
}

template <typename Code>
void SetCode(Code& out, const std::string& text) {
  if constexpr (std::is_enum_v<Code>) {
    for (std::size_t i = 0; i < kWireCodes.size(); ++i) {
      if (kWireCodes[i] == text) out = static_cast<Code>(i);
    }
  } else {
    out = text;
  }
}

std::optional<std::string> Opt(const std::string* s) { return s ? std::optional<std::string>(*s) : std::nullopt; }
std::string* Ptr(std::optional<std::string>& s) { return s ? &*s : nullptr; }

}  // namespace

Status Validate(const CustomerInfo& customer, const ApiCredentials& credentials, bool credentials_too) {
  for (const FieldInfo& field : kFields) {
    if (field.user != nullptr && !credentials_too) continue;
    if (const std::string_view value = field.native(customer, credentials); Sent(value)) {
      if (Status s = ValidateXmlText(field.name, value); !s.ok()) return s;
    }
  }
  return Status();
}

template <typename Wrapper>
void RequestHolder<Wrapper>::WipeSecrets(std::array<std::optional<std::string>, kFieldCount>& copies) noexcept {
  for (std::size_t i = 0; i < kFieldCount; ++i) {
    if (kFields[i].secret && copies[i]) WipeString(*copies[i]);
  }
}
template class RequestHolder<ConfirmCustomerUserMfaOp::Request>;
template class RequestHolder<CustomerUserSendResetPasswordOp::Request>;

StatusOr<ServiceResult> ReadResult(const wire::Result* in, std::string_view result_element) {
  if (in == nullptr) {
    return Status(ErrorKind::kMalformedResponse, "the response has no " + std::string(result_element) + " element")
        .set_request_may_have_been_sent(true);
  }
  ServiceResult out;
  out.raw_code = CodeText(in->SuccessCode);
  if (out.raw_code.empty()) {
    return Status(ErrorKind::kMalformedResponse, "the response has no (or an empty) SuccessCode")
        .set_request_may_have_been_sent(true);
  }
  // Delivered text must be what XML allows: gSOAP passes invalid UTF-8 through unchanged.
  const std::pair<const char*, const std::string*> texts[] = {
      {"SuccessCode", &out.raw_code}, {"Message", in->Message}, {"ExceptionMessage", in->ExceptionMessage}};
  for (const auto& [field, text] : texts) {
    if (text == nullptr) continue;
    if (Status s = ValidateXmlText(field, *text); !s.ok()) {
      return Status(ErrorKind::kMalformedResponse, "the response's " + s.message()).set_request_may_have_been_sent(true);
    }
  }
  out.code = ParseSuccessCode(out.raw_code);
  out.message = Opt(in->Message);
  out.exception_message = Opt(in->ExceptionMessage);
  out.is_system_error = in->IsSystemError;
  return out;
}

ResultHolder::ResultHolder(const ServiceResult& result)
    : message_(result.message), exception_message_(result.exception_message) {
  SetCode(result_.SuccessCode, result.raw_code.empty() ? std::string(ToString(result.code)) : result.raw_code);
  result_.Message = Ptr(message_);
  result_.ExceptionMessage = Ptr(exception_message_);
  result_.IsSystemError = result.is_system_error;
}

}  // namespace brightoffice::internal::customer_user
