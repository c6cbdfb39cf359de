// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#include "internal/adapter.h"
#include "internal/text.h"

#include <openssl/crypto.h>

#include <array>
#include <string_view>

namespace brightoffice::internal {
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

std::optional<std::string> Opt(const std::string* s) {
  return s ? std::optional<std::string>(*s) : std::nullopt;
}

std::optional<std::string> Reveal(const std::optional<Secret>& s) {
  return s ? std::optional<std::string>(std::string(s->Reveal())) : std::nullopt;
}

std::string* Ptr(std::optional<std::string>& s) { return s ? &*s : nullptr; }

void Wipe(std::string& s) {
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
}
void Wipe(std::optional<std::string>& s) {
  if (s) Wipe(*s);
}

}  // namespace

RequestHolder::RequestHolder(const CustomerInfo& customer, const ApiCredentials& credentials)
    : email_(customer.email),
      password_(Reveal(customer.password)),
      mfa_code_(Reveal(customer.mfa_code)),
      temporary_password_(Reveal(customer.temporary_password)),
      new_password_(Reveal(customer.new_password)),
      username_(credentials.username),
      api_password_(credentials.password.Reveal()) {
  customer_.Id = customer.id.ToString();
  customer_.Email = Ptr(email_);
  customer_.Password = Ptr(password_);
  customer_.MFACode = Ptr(mfa_code_);
  customer_.TemporaryPassword = Ptr(temporary_password_);
  customer_.NewPassword = Ptr(new_password_);
  user_.Username = &username_;
  user_.Password = &api_password_;
  request_.CustomerInfo = &customer_;
  request_.UserInfo = &user_;
}

RequestHolder::~RequestHolder() {
  Wipe(password_);
  Wipe(mfa_code_);
  Wipe(temporary_password_);
  Wipe(new_password_);
  Wipe(api_password_);
}

StatusOr<ServiceResult> FromWire(const wire::Response& response) {
  const wire::Result* in = response.ConfirmCustomerUserMFAResult;
  if (in == nullptr) {
    return Status(ErrorKind::kMalformedResponse,
                  "the response has no ConfirmCustomerUserMFAResult element");
  }
  ServiceResult out;
  out.raw_code = CodeText(in->SuccessCode);
  if (out.raw_code.empty()) {
    return Status(ErrorKind::kMalformedResponse, "the response has no (or an empty) SuccessCode");
  }
  // Delivered text must be what XML allows: gSOAP passes invalid UTF-8 through unchanged.
  const std::pair<const char*, const std::string*> texts[] = {
      {"SuccessCode", &out.raw_code}, {"Message", in->Message}, {"ExceptionMessage", in->ExceptionMessage}};
  for (const auto& [field, text] : texts) {
    if (text == nullptr) continue;
    if (Status s = ValidateXmlText(field, *text); !s.ok()) {
      return Status(ErrorKind::kMalformedResponse, "the response's " + s.message());
    }
  }
  out.code = ParseSuccessCode(out.raw_code);
  out.message = Opt(in->Message);
  out.exception_message = Opt(in->ExceptionMessage);
  out.is_system_error = in->IsSystemError;
  return out;
}

ReceivedRequest FromWire(const wire::Request& request) {
  ReceivedRequest out;
  if (const wire::CustomerInfo* c = request.CustomerInfo) {
    out.has_customer_info = true;
    out.id = c->Id;
    out.email = Opt(c->Email);
    out.password = Opt(c->Password);
    out.mfa_code = Opt(c->MFACode);
    out.temporary_password = Opt(c->TemporaryPassword);
    out.new_password = Opt(c->NewPassword);
  }
  if (const wire::UserInfo* u = request.UserInfo) {
    out.has_user_info = true;
    out.username = Opt(u->Username);
    out.api_password = Opt(u->Password);
  }
  return out;
}

ResponseHolder::ResponseHolder(const ServiceResult& result)
    : message_(result.message), exception_message_(result.exception_message) {
  SetCode(result_.SuccessCode, result.raw_code.empty() ? std::string(ToString(result.code))
                                                       : result.raw_code);
  result_.Message = Ptr(message_);
  result_.ExceptionMessage = Ptr(exception_message_);
  result_.IsSystemError = result.is_system_error;
}

}  // namespace brightoffice::internal
