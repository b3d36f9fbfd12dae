// rsq/error.h — the one exception type for setup-time failures and the exit
// codes they map to. Per-record problems are never exceptions: they are
// Diagnostic values (rsq/diagnostics.h). The CLI catches rsq::Error once, in
// main, and turns its kind into the documented exit code.
#pragma once
#include <stdexcept>
#include <string>

namespace rsq {

enum class ExitCode : int {
  ok = 0,            // ran to completion, bad input within tolerance
  check_failed = 1,  // a check (gate rule) failed: a finding, not an error
  usage = 2,         // bad flags or configuration; nothing was processed
  bad_data = 3,      // input read but bad beyond --max-bad-lines, or nothing scorable
  io = 4,            // cannot open, read or write
  internal = 5,      // a bug in rsq
};

enum class ErrorKind { usage, io, data, internal };

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string message)
      : std::runtime_error(std::move(message)), kind_(kind) {}
  ErrorKind kind() const noexcept { return kind_; }

 private:
  ErrorKind kind_;
};

ExitCode exit_code_for(ErrorKind kind) noexcept;

// Several outcomes in one run: the most severe wins (5 > 4 > 3 > 1 > 0).
ExitCode worse(ExitCode a, ExitCode b) noexcept;

}  // namespace rsq
