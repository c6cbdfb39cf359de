// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#include "contract.h"

#include <fstream>
#include <functional>
#include <initializer_list>
#include <set>
#include <stdexcept>
#include <utility>
#include <vector>

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

// --- reading a fixtures file ----------------------------------------------------------------
// Messages name the entry and the key, and never quote a value: a fixture may hold a code or
// a password of the user's tests.

// A fixtures file that breaks a rule: which entry (-1: the file as a whole) and what is wrong.
struct FixtureError : std::runtime_error {
  FixtureError(long long entry_index, const std::string& what) : std::runtime_error(what), entry(entry_index) {}
  long long entry;
};

constexpr std::initializer_list<const char*> kEntryKeys = {"match", "result", "fault", "senderFault", "delayMs"};
constexpr std::initializer_list<const char*> kMatchKeys = {"operation", "email", "mfaCode", "username", "id"};
constexpr std::initializer_list<const char*> kResultKeys = {"successCode", "message", "exceptionMessage",
                                                            "isSystemError"};

// A key as messages show it: in double quotes, escaped as JSON, cut short when long.
std::string Quoted(const std::string& key) {
  return json(key.size() > 64 ? key.substr(0, 64) + "..." : key).dump();
}

// "key", or "key" in "parent".
std::string Where(const std::string& key, const char* parent) {
  return Quoted(key) + (parent ? " in " + Quoted(parent) : std::string());
}

std::string List(std::initializer_list<const char*> keys) {
  std::string out;
  for (const char* k : keys) out += (out.empty() ? "" : ", ") + Quoted(k);
  return out;
}

// Refuses any key of `object` not in `known`.
void OnlyKnownKeys(long long entry, const json& object, std::initializer_list<const char*> known,
                   const char* parent) {
  for (const auto& item : object.items()) {
    bool found = false;
    for (const char* k : known) found = found || item.key() == k;
    if (!found) {
      throw FixtureError(entry, Where(item.key(), parent) + " is not a known key (known: " + List(known) + ")");
    }
  }
}

// The string at `key`, nullopt when absent; with `nullable`, null means absent too.
std::optional<std::string> StringAt(long long entry, const json& object, const char* key, const char* parent,
                                    bool nullable = false) {
  const auto it = object.find(key);
  if (it == object.end() || (nullable && it->is_null())) return std::nullopt;
  if (!it->is_string()) {
    throw FixtureError(entry, Where(key, parent) + (nullable ? " must be a string or null" : " must be a string"));
  }
  return it->get<std::string>();
}

// The boolean at `key`, false when absent.
bool BoolAt(long long entry, const json& object, const char* key, const char* parent) {
  const auto it = object.find(key);
  if (it == object.end()) return false;
  if (!it->is_boolean()) throw FixtureError(entry, Where(key, parent) + " must be true or false");
  return it->get<bool>();
}

std::chrono::milliseconds DelayAt(long long entry, const json& object) {
  const auto it = object.find("delayMs");
  if (it == object.end()) return std::chrono::milliseconds(0);
  bool in_range = false;
  long long ms = 0;
  if (it->is_number_unsigned()) {
    const auto v = it->get<unsigned long long>();
    in_range = v <= static_cast<unsigned long long>(kMaxFixtureDelayMs);
    ms = in_range ? static_cast<long long>(v) : 0;
  } else if (it->is_number_integer()) {
    ms = it->get<long long>();
    in_range = ms >= 0 && ms <= kMaxFixtureDelayMs;
  }
  if (!in_range) {
    throw FixtureError(entry, Quoted("delayMs") + " must be a whole number from 0 to " +
                                  std::to_string(kMaxFixtureDelayMs));
  }
  return std::chrono::milliseconds(ms);
}

FixtureRule ParseRule(long long entry, const json& r) {
  if (!r.is_object()) throw FixtureError(entry, "must be an object");
  OnlyKnownKeys(entry, r, kEntryKeys, nullptr);
  FixtureRule rule;
  if (const auto m = r.find("match"); m != r.end()) {
    if (!m->is_object()) throw FixtureError(entry, Quoted("match") + " must be an object of " + List(kMatchKeys));
    OnlyKnownKeys(entry, *m, kMatchKeys, "match");
    rule.operation = StringAt(entry, *m, "operation", "match");
    if (rule.operation) {
      bool known = false;
      std::string names;
      for (const internal::OperationInfo& op : internal::kOperations) {
        known = known || *rule.operation == op.name;
        names += (names.empty() ? "" : " or ") + Quoted(std::string(op.name));
      }
      if (!known) throw FixtureError(entry, Where("operation", "match") + " must be " + names);
    }
    rule.email = StringAt(entry, *m, "email", "match");
    rule.mfa_code = StringAt(entry, *m, "mfaCode", "match");
    rule.username = StringAt(entry, *m, "username", "match");
    if (auto id = StringAt(entry, *m, "id", "match")) {
      rule.id = Guid::Parse(*id);
      if (!rule.id) {
        throw FixtureError(entry,
                           Where("id", "match") + " must be a guid (32 hex digits; hyphens and braces optional)");
      }
    }
  }
  const bool has_result = r.contains("result"), has_fault = r.contains("fault");
  if (has_result && has_fault) {
    throw FixtureError(entry, Quoted("result") + " and " + Quoted("fault") + " cannot both be given");
  }
  if (has_fault) {
    auto text = StringAt(entry, r, "fault", nullptr);
    rule.answer = Fault(std::move(*text), BoolAt(entry, r, "senderFault", nullptr));
  } else if (has_result) {
    if (r.contains("senderFault")) {
      throw FixtureError(entry, Quoted("senderFault") + " belongs to a " + Quoted("fault") + ", not a " +
                                    Quoted("result"));
    }
    const json& res = r["result"];
    if (!res.is_object()) throw FixtureError(entry, Quoted("result") + " must be an object of " + List(kResultKeys));
    OnlyKnownKeys(entry, res, kResultKeys, "result");
    Answer a;
    auto code = StringAt(entry, res, "successCode", "result");
    if (!code) throw FixtureError(entry, Where("successCode", "result") + " is required");
    a.result.raw_code = std::move(*code);
    a.result.code = ParseSuccessCode(a.result.raw_code);
    a.result.message = StringAt(entry, res, "message", "result", /*nullable=*/true);
    a.result.exception_message = StringAt(entry, res, "exceptionMessage", "result", /*nullable=*/true);
    a.result.is_system_error = BoolAt(entry, res, "isSystemError", "result");
    rule.answer = std::move(a);
  } else {
    throw FixtureError(entry, "needs " + Quoted("result") + " or " + Quoted("fault"));
  }
  rule.answer.delay = DelayAt(entry, r);
  return rule;
}

// A parser callback that refuses a key given twice in one object (the parser alone would keep
// the last one without a word).
class RefuseDuplicateKeys {
 public:
  bool operator()(int depth, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
        if (depth == 1) ++entry_;
        seen_.emplace_back();
        break;
      case json::parse_event_t::array_start:
      case json::parse_event_t::value:
        if (depth == 1) ++entry_;
        break;
      case json::parse_event_t::object_end:
        if (!seen_.empty()) seen_.pop_back();
        break;
      case json::parse_event_t::key: {
        const auto level = static_cast<std::size_t>(depth);
        if (keys_.size() <= level) keys_.resize(level + 1);
        keys_[level] = parsed.get<std::string>();
        if (!seen_.empty() && !seen_.back().insert(keys_[level]).second) {
          // Keys of an entry are at depth 2, keys of its "match" or "result" at depth 3.
          const char* parent = level >= 3 ? keys_[level - 1].c_str() : nullptr;
          throw FixtureError(level >= 2 ? entry_ : -1, Where(keys_[level], parent) + " is given twice");
        }
        break;
      }
      default:
        break;
    }
    return true;
  }

 private:
  long long entry_ = -1;
  std::vector<std::set<std::string>> seen_;
  std::vector<std::string> keys_;
};

}  // namespace

StatusOr<std::vector<FixtureRule>> LoadFixtures(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status(ErrorKind::kInvalidArgument, "cannot read fixtures file " + path);
  const std::string prefix = "invalid fixtures file " + path + ": ";
  std::vector<FixtureRule> rules;
  try {
    RefuseDuplicateKeys duplicates;
    const json doc = json::parse(in, std::ref(duplicates));
    if (!doc.is_array()) throw FixtureError(-1, "the top level must be an array of entries");
    long long entry = 0;
    for (const json& r : doc) rules.push_back(ParseRule(entry++, r));
  } catch (const FixtureError& e) {
    return Status(ErrorKind::kInvalidArgument,
                  prefix + (e.entry >= 0 ? "entry " + std::to_string(e.entry) + ": " : std::string()) + e.what());
  } catch (const std::exception& e) {  // not JSON at all: the parser says where
    return Status(ErrorKind::kInvalidArgument, prefix + e.what());
  }
  return rules;
}

Answer Decide(std::string_view operation, const internal::customer_user::ReceivedRequest& r,
              const std::vector<FixtureRule>& fixtures) {
  using namespace internal::customer_user;
  // ASMX parses the guid while reading the request, before the method runs: an Id element
  // that is empty or not a guid is a client fault; an absent one is the nil guid.
  Guid id;
  if (!r.id.empty() || r.id_present) {
    auto parsed = Guid::Parse(r.id);
    if (!parsed) return Fault("Unrecognized Guid format.", /*sender=*/true);
    id = *parsed;
  }
  for (const FixtureRule& rule : fixtures) {
    if ((rule.operation && *rule.operation != operation) || (rule.email && rule.email != r[kEmail]) ||
        (rule.mfa_code && rule.mfa_code != r[kMfaCode]) || (rule.username && rule.username != r[kUsername]) ||
        (rule.id && *rule.id != id)) {
      continue;
    }
    return rule.answer;
  }
  // The test contract's rows (test-contract.md), in order; the same for every operation of the
  // customer-user shape but the last ones, the operation's own.
  if (!r.has_user_info || r[kUsername] != std::optional<std::string>("api-user") ||
      r[kApiPassword] != std::optional<std::string>("api-secret")) {
    return Result(SuccessCode::kLoginError, "Invalid API credentials");
  }
  const std::optional<std::string>& email = r[kEmail];
  if (!r.has_customer_info || !email || email->empty()) {
    return Result(SuccessCode::kParameterError, "Email is required");
  }
  if (*email == "missing@example.com") {
    return Result(SuccessCode::kMissingRecord, "Customer user not found");
  }
  const std::optional<std::string>& mfa_code = r[kMfaCode];
  if (mfa_code == std::optional<std::string>("boom")) return Fault("Simulated server failure (MFACode=boom)");
  const std::string who = *email + " (" + id.ToString() + ") newpw=" + Crossed(r[kNewPassword]) +
                          " tmppw=" + Crossed(r[kTemporaryPassword]);
  const bool confirm = operation == kConfirmCustomerUserMfa;
  Answer success = Result(SuccessCode::kSuccess, (confirm ? "MFA confirmed for " : "Reset password sent to ") + who);
  if (mfa_code == std::optional<std::string>("slow")) {
    success.delay = std::chrono::seconds(5);
    return success;
  }
  if (!confirm || mfa_code == std::optional<std::string>("123456")) return success;
  return Result(SuccessCode::kOther, "Invalid MFA code");
}

}  // namespace brightoffice::mock
