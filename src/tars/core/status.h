// Status and Expected<T>: how errors cross module boundaries (exceptions stay inside a module).
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace tars::core {

enum class ErrorCode {
  kInvalidArgument,     // the caller passed something malformed or out of range
  kNotFound,            // a named thing (env id, key, file) does not exist
  kFailedPrecondition,  // the call is not allowed in the current state
  kOutOfRange,          // a value is outside the allowed bounds
  kIo,                  // reading or writing a file or stream failed
  kInternal,            // a bug: an invariant did not hold
};

const char* error_code_name(ErrorCode code);

// An error with a code and a message meant for people; ok() when there is none.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message)
      : ok_(false), code_(code), message_(std::move(message)) {}

  static Status ok_status() { return {}; }
  bool ok() const { return ok_; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid_argument: message"
  std::string to_string() const;

 private:
  bool ok_ = true;
  ErrorCode code_ = ErrorCode::kInternal;
  std::string message_;
};

Status invalid_argument(std::string message);
Status not_found(std::string message);
Status failed_precondition(std::string message);
Status out_of_range(std::string message);
Status io_error(std::string message);

// A value or the Status explaining why there is none.
template <typename T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : data_(std::move(value)) {}       // NOLINT(google-explicit-constructor)
  Expected(Status error) : data_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(data_); }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // The error; an ok Status when a value is held.
  Status status() const { return ok() ? Status() : std::get<Status>(data_); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace tars::core
