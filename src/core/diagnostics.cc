// Formatting of diagnostics. One function, so every subcommand prints the same
// shape and golden tests pin it once.
#include "rsq/diagnostics.h"

namespace rsq {

std::string format_diagnostic(const std::string& file, const Diagnostic& d) {
  std::string s = file;
  if (d.line) {
    s += ':' + std::to_string(d.line);
    if (d.col) s += ':' + std::to_string(d.col);
  }
  s += ": ";
  switch (d.severity) {
    case Severity::note: s += "note: "; break;
    case Severity::warning: s += "warning: "; break;
    case Severity::error: s += "error: "; break;
  }
  s += d.message;
  if (!d.code.empty()) s += " [" + d.code + "]";
  return s;
}

}  // namespace rsq
