// Exit-code mapping and precedence. Kept in the core so that every subcommand
// and every test agrees on one order of severity.
#include "rsq/error.h"

namespace rsq {

ExitCode exit_code_for(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::usage: return ExitCode::usage;
    case ErrorKind::io: return ExitCode::io;
    case ErrorKind::data: return ExitCode::bad_data;
    case ErrorKind::internal: return ExitCode::internal;
  }
  return ExitCode::internal;
}

static int severity(ExitCode c) noexcept {
  switch (c) {
    case ExitCode::ok: return 0;
    case ExitCode::check_failed: return 1;
    case ExitCode::bad_data: return 2;
    case ExitCode::io: return 3;
    case ExitCode::internal: return 4;
    case ExitCode::usage: return 5;  // never combined in practice: usage stops before work
  }
  return 4;
}

ExitCode worse(ExitCode a, ExitCode b) noexcept { return severity(a) >= severity(b) ? a : b; }

}  // namespace rsq
