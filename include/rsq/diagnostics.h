// rsq/diagnostics.h — per-record problems as values. A Diagnostic carries a
// stable code (documented in docs/cli.md) and a location; formatting follows
// compiler style so editors and CI annotators can jump to it:
//   train.jsonl:12:7: error: invalid JSON: expected ',' or '}' [bad-json]
#pragma once
#include <cstdint>
#include <string>

namespace rsq {

enum class Severity { note, warning, error };

struct Diagnostic {
  Severity severity = Severity::error;
  std::string code;     // stable, kebab-case: bad-json, bad-utf8, line-too-long, ...
  std::string message;  // lower case, one line, no trailing period
  uint64_t line = 0;    // 1-based; 0 = no line (whole-input problem)
  uint64_t col = 0;     // 1-based byte column; 0 = unknown
};

// "file:line:col: error: message [code]"; parts with value 0 are left out.
std::string format_diagnostic(const std::string& file, const Diagnostic& d);

}  // namespace rsq
