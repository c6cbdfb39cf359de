// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#include "contract.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "brightoffice/guid.h"

namespace brightoffice::mock {
namespace {

using nlohmann::json;

Answer Result(SuccessCode code, std::string message) {
  Answer a;
  a.result.code = code;
  a.result.raw_code = std::string(ToString(code));
  a.result.message = std::move(message);
  a.result.exception_message = std::string();
  a.result.is_system_error = false;
  return a;
}

Answer Fault(std::string text, bool sender = false) {
  Answer a;
  a.kind = Answer::Kind::kFault;
  a.fault_string = std::move(text);
  a.sender_fault = sender;
  return a;
}

const char* Crossed(const std::optional<std::string>& v) {
  if (!v) return "no";
  return v->empty() ? "empty" : "yes";
}

std::optional<std::string> OptString(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::nullopt;
  return j[key].get<std::string>();
}

}  // namespace

StatusOr<std::vector<FixtureRule>> LoadFixtures(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status(ErrorKind::kInvalidArgument, "cannot read fixtures file " + path);
  std::vector<FixtureRule> rules;
  try {
    json doc = json::parse(in);
    if (!doc.is_array()) throw std::runtime_error("the top level must be an array of rules");
    for (const json& r : doc) {
      FixtureRule rule;
      const json match = r.value("match", json::object());
      rule.email = OptString(match, "email");
      rule.mfa_code = OptString(match, "mfaCode");
      rule.username = OptString(match, "username");
      rule.id = OptString(match, "id");
      if (r.contains("fault")) {
        rule.answer = Fault(r["fault"].get<std::string>(), r.value("senderFault", false));
      } else if (r.contains("result")) {
        const json& res = r["result"];
        Answer a;
        a.result.raw_code = res.at("successCode").get<std::string>();
        a.result.code = ParseSuccessCode(a.result.raw_code);
        a.result.message = OptString(res, "message");
        a.result.exception_message = OptString(res, "exceptionMessage");
        a.result.is_system_error = res.value("isSystemError", false);
        rule.answer = std::move(a);
      } else {
        throw std::runtime_error("each rule needs \"result\" or \"fault\"");
      }
      rule.answer.delay = std::chrono::milliseconds(r.value("delayMs", 0));
      rules.push_back(std::move(rule));
    }
  } catch (const std::exception& e) {
    return Status(ErrorKind::kInvalidArgument, "invalid fixtures file " + path + ": " + e.what());
  }
  return rules;
}

Answer Decide(const internal::ReceivedRequest& r, const std::vector<FixtureRule>& fixtures) {
  // ASMX parses the guid while reading the request, before the method runs: an Id element
  // that is empty or not a guid is a client fault; an absent one is the nil guid.
  Guid id;
  if (!r.id.empty() || r.id_present) {
    auto parsed = Guid::Parse(r.id);
    if (!parsed) return Fault("Unrecognized Guid format.", /*sender=*/true);
    id = *parsed;
  }
  for (const FixtureRule& rule : fixtures) {
    if ((rule.email && rule.email != r.email) || (rule.mfa_code && rule.mfa_code != r.mfa_code) ||
        (rule.username && rule.username != r.username) ||
        (rule.id && Guid::Parse(*rule.id) != std::optional<Guid>(id))) {
      continue;
    }
    return rule.answer;
  }
  if (!r.has_user_info || r.username != std::optional<std::string>("api-user") ||
      r.api_password != std::optional<std::string>("api-secret")) {
    return Result(SuccessCode::kLoginError, "Invalid API credentials");
  }
  if (!r.has_customer_info || !r.email || r.email->empty()) {
    return Result(SuccessCode::kParameterError, "Email is required");
  }
  if (*r.email == "missing@example.com") {
    return Result(SuccessCode::kMissingRecord, "Customer user not found");
  }
  const std::string code = r.mfa_code.value_or("");
  if (r.mfa_code && code == "boom") return Fault("Simulated server failure (MFACode=boom)");
  Answer confirmed = Result(SuccessCode::kSuccess, "MFA confirmed for " + *r.email + " (" +
                                                       id.ToString() + ") newpw=" +
                                                       Crossed(r.new_password) + " tmppw=" +
                                                       Crossed(r.temporary_password));
  if (r.mfa_code && code == "slow") {
    confirmed.delay = std::chrono::seconds(5);
    return confirmed;
  }
  if (r.mfa_code && code == "123456") return confirmed;
  return Result(SuccessCode::kOther, "Invalid MFA code");
}

}  // namespace brightoffice::mock
