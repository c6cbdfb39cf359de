// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
#ifndef BRIGHTOFFICE_STATUS_H
#define BRIGHTOFFICE_STATUS_H

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace brightoffice {

/// Why a call failed (kOk for a status that holds no failure). A call that reached the service
/// and got an answer back is never a failure, whatever its SuccessCode: see ServiceResult. The
/// names returned by ToString() are the ones used in JSON output and in messages: ok,
/// invalid_argument, connection, tls, timeout, http_status, soap_fault, malformed_response,
/// unimplemented.
enum class ErrorKind {
  kOk = 0,             ///< Not a failure: what Status::kind() says of an OK status.
  kInvalidArgument,    ///< Detected before anything was sent (bad guid, text XML cannot carry, ...).
  kConnection,         ///< Name resolution, connect, or the connection broke mid-call.
  kTls,                ///< TLS handshake or certificate verification failed.
  kTimeout,            ///< The connect timeout, I/O timeout or overall deadline ran out.
  kHttpStatus,         ///< The server answered with an HTTP status other than 200 and no SOAP fault.
  kSoapFault,          ///< The server answered with a SOAP fault (fault_code/fault_string/fault_detail).
  kMalformedResponse,  ///< The answer could not be read as the expected SOAP response, or broke a limit.
  /// The Connection does not implement this operation: what Connection's default method bodies
  /// return, so that a test double written before an operation was added keeps compiling. The
  /// real connection and the command line never produce it.
  kUnimplemented,
};

/// The stable lower-case name of an ErrorKind, e.g. "soap_fault".
std::string_view ToString(ErrorKind kind) noexcept;

/// What went wrong with a call, or success. Messages never contain a secret (passwords, MFA
/// code): text from the server is shown with any such value replaced by `***`. Every accessor
/// is safe on an OK status (kind() is ErrorKind::kOk, the texts are empty, the numbers 0).
///
/// Thread Safety: a value type; distinct objects may be used from distinct threads.
class Status {
 public:
  /// An OK status.
  Status() = default;
  /// A failure of the given kind (ErrorKind::kOk makes an OK status, whatever the message).
  Status(ErrorKind kind, std::string message)
      : kind_(kind), message_(kind == ErrorKind::kOk ? std::string() : std::move(message)) {}

  /// True for success, false for a failure.
  bool ok() const noexcept { return kind_ == ErrorKind::kOk; }
  /// Same as ok().
  explicit operator bool() const noexcept { return ok(); }
  /// The failure kind; ErrorKind::kOk when ok().
  ErrorKind kind() const noexcept { return kind_; }
  /// What went wrong, for people (empty when ok()). Never holds a secret.
  const std::string& message() const noexcept { return message_; }

  /// The HTTP status of the answer, when one was received (0 otherwise).
  int http_status() const noexcept { return http_status_; }
  /// SOAP fault parts, set for ErrorKind::kSoapFault (fault_code e.g. "soap:Server").
  const std::string& fault_code() const noexcept { return fault_code_; }
  /// The fault's reason text (faultstring / Reason), with secrets replaced by `***`.
  const std::string& fault_string() const noexcept { return fault_string_; }
  /// The fault's detail as text, when the fault had one, with secrets replaced by `***`.
  const std::string& fault_detail() const noexcept { return fault_detail_; }
  /// Whether the request may have reached the server: false when nothing of it left the
  /// client (an invalid argument, a connection or TLS handshake that failed, a proxy that
  /// refused the tunnel, no free connection within the deadline), true once any byte of it was
  /// written. Only when false is it certain that the service did not act on it; a single-use
  /// MFA code may be spent when true. Always false for an OK status.
  bool request_may_have_been_sent() const noexcept { return request_may_have_been_sent_; }

  /// Records the HTTP status of the answer; returns *this.
  Status& set_http_status(int status) {
    if (!ok()) http_status_ = status;
    return *this;
  }
  /// Records the SOAP fault parts (see fault_code()); returns *this.
  Status& set_fault(std::string code, std::string string, std::string detail) {
    if (ok()) return *this;
    fault_code_ = std::move(code);
    fault_string_ = std::move(string);
    fault_detail_ = std::move(detail);
    return *this;
  }
  /// Records whether the request may have reached the server (see
  /// request_may_have_been_sent()); returns *this.
  Status& set_request_may_have_been_sent(bool may_have_been_sent) {
    request_may_have_been_sent_ = !ok() && may_have_been_sent;
    return *this;
  }

  /// "<kind>: <message>", or "ok".
  std::string ToString() const;

 private:
  ErrorKind kind_ = ErrorKind::kOk;
  std::string message_;
  int http_status_ = 0;
  std::string fault_code_;
  std::string fault_string_;
  std::string fault_detail_;
  bool request_may_have_been_sent_ = false;
};

/// Thrown only by StatusOr<T>::value() when it holds no value.
class BadStatusOrAccess : public std::runtime_error {
 public:
  /// An exception for the given failure; what() is status.ToString().
  explicit BadStatusOrAccess(Status status)
      : std::runtime_error(status.ToString()), status_(std::move(status)) {}
  /// The failure the StatusOr held.
  const Status& status() const noexcept { return status_; }

 private:
  Status status_;
};

/// Either a value of T or a failed Status, never both.
///
/// Thread Safety: a value type; distinct objects may be used from distinct threads.
template <typename T>
class StatusOr {
 public:
  /// A failure. Throws std::invalid_argument when `status` is OK: a StatusOr holds a value or
  /// an error, never neither.
  StatusOr(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (status_.ok()) throw std::invalid_argument("StatusOr constructed from an OK Status without a value");
  }
  /// A value.
  StatusOr(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)

  /// True when a value is held.
  bool ok() const noexcept { return value_.has_value(); }
  /// Same as ok().
  explicit operator bool() const noexcept { return ok(); }
  /// OK when a value is held.
  const Status& status() const noexcept { return status_; }

  /// The value; throws BadStatusOrAccess when there is none.
  const T& value() const& { Check(); return *value_; }
  /// The value; throws BadStatusOrAccess when there is none.
  T& value() & { Check(); return *value_; }
  /// The value, moved out; throws BadStatusOrAccess when there is none.
  T&& value() && { Check(); return std::move(*value_); }
  /// Same as value().
  const T& operator*() const& { return value(); }
  /// Same as value().
  T& operator*() & { return value(); }
  /// Member access to the value; throws BadStatusOrAccess when there is none.
  const T* operator->() const { return &value(); }
  /// Member access to the value; throws BadStatusOrAccess when there is none.
  T* operator->() { return &value(); }
  /// The value, or `fallback` when there is none.
  template <typename U>
  T value_or(U&& fallback) const& {
    return value_ ? *value_ : static_cast<T>(std::forward<U>(fallback));
  }
  /// The value moved out, or `fallback` when there is none.
  template <typename U>
  T value_or(U&& fallback) && {
    return value_ ? std::move(*value_) : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  void Check() const {
    if (!value_) throw BadStatusOrAccess(status_);
  }
  Status status_;
  std::optional<T> value_;
};

}  // namespace brightoffice

#endif  // BRIGHTOFFICE_STATUS_H
