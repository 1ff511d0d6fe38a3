#include "tars/core/status.h"

namespace tars::core {

const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kFailedPrecondition:
      return "failed_precondition";
    case ErrorCode::kOutOfRange:
      return "out_of_range";
    case ErrorCode::kIo:
      return "io_error";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

std::string Status::to_string() const {
  if (ok_) return "ok";
  return std::string(error_code_name(code_)) + ": " + message_;
}

Status invalid_argument(std::string message) {
  return {ErrorCode::kInvalidArgument, std::move(message)};
}
Status not_found(std::string message) { return {ErrorCode::kNotFound, std::move(message)}; }
Status failed_precondition(std::string message) {
  return {ErrorCode::kFailedPrecondition, std::move(message)};
}
Status out_of_range(std::string message) { return {ErrorCode::kOutOfRange, std::move(message)}; }
Status io_error(std::string message) { return {ErrorCode::kIo, std::move(message)}; }

}  // namespace tars::core
