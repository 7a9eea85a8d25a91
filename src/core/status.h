// Status and Result<T>: how every fallible operation in Rempart reports failure.
//
// Errors are values, never exceptions across a library boundary (LevelDB style). Each Code maps
// to a documented process exit code (docs/en/exit-codes.md), so a script can tell a wrong
// passphrase from a damaged vault. Messages are already translated and say what to do.
#pragma once

#include <fmt/args.h>
#include <fmt/format.h>

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace rempart {

enum class Code {
  kOk = 0,
  kFailed = 1,           // anything not listed below
  kUsage = 2,            // bad command line
  kWrongPassphrase = 3,  // the passphrase does not open the vault
  kNoVault = 4,          // no vault at that path
  kExists = 5,           // refusing to overwrite something
  kCorrupt = 6,          // stored data fails its integrity check
  kIo = 7,               // the system refused a read or write (disk full, permissions)
  kNotFound = 8,         // no such case, entry or file
  kVerifyFailed = 9,     // a bundle or signature does not verify
  kWiped = 10,           // the vault was crypto-erased
  kInvalidInput = 11,    // a file or value we cannot accept (hostile, unsupported, too big)
};

// Process exit code for a Code; stable across releases.
inline int ExitCodeOf(Code code) { return static_cast<int>(code); }

// The cores know no language: a Status keeps its English msgid and its arguments, and the edge
// (CLI, server) translates them with Translator::Explain. message() is the English text.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message)
      : code_(code), message_(message), msgid_(std::move(message)) {}
  Status(Code code, std::string msgid, std::vector<std::string> args)
      : code_(code), msgid_(std::move(msgid)), args_(std::move(args)) {
    message_ = Format(msgid_, args_);
  }
  static Status Ok() { return {}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& msgid() const { return msgid_; }
  const std::vector<std::string>& args() const { return args_; }

  // Formats `pattern` ("{}" placeholders) with string arguments.
  static std::string Format(std::string_view pattern, const std::vector<std::string>& args) {
    fmt::dynamic_format_arg_store<fmt::format_context> store;
    for (const auto& a : args) store.push_back(a);
    try {
      return fmt::vformat(pattern, store);
    } catch (const fmt::format_error&) {
      return std::string(pattern);  // a broken translation must not hide the error
    }
  }

 private:
  Code code_ = Code::kOk;
  std::string message_;
  std::string msgid_;
  std::vector<std::string> args_;
};

// A translatable error: `msgid` is English with "{}" placeholders (xgettext keyword Error:2).
template <typename... Args>
Status Error(Code code, const char* msgid, const Args&... args) {
  return Status(code, msgid, std::vector<std::string>{fmt::to_string(args)...});
}

// Either a value or a non-ok Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : data_(std::move(status)) { assert(!std::get<Status>(data_).ok()); }

  bool ok() const { return std::holds_alternative<T>(data_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(data_);
  }
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace rempart

// Returns early from the enclosing function when `expr` (a Status) is not ok.
#define REMPART_RETURN_IF_ERROR(expr) \
  do {                                \
    ::rempart::Status _st = (expr);   \
    if (!_st.ok()) return _st;        \
  } while (0)

#define REMPART_CONCAT_INNER(a, b) a##b
#define REMPART_CONCAT(a, b) REMPART_CONCAT_INNER(a, b)
// Declares `lhs` from a Result, or returns its Status from the enclosing function.
#define REMPART_ASSIGN_OR_RETURN(lhs, expr) \
  REMPART_ASSIGN_OR_RETURN_IMPL(REMPART_CONCAT(_res_, __LINE__), lhs, expr)
#define REMPART_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()
