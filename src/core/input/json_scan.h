// input/json_scan.h (internal) — the structural JSON scanner the array and
// document framings share: strings, escapes and nesting, reporting where
// values begin and end without validating them. Validation is the workers'
// job (simdjson), so a malformed element is rejected with a precise column
// later, not here.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace rsq::input {

inline bool is_ws(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// Incremental structural scanner. Positions are offsets into the buffer being
// fed; the owner rebases them when it moves bytes (carry-over between blocks).
struct Scanner {
  int depth = 0;               // containers currently open
  bool in_str = false, esc = false;
  bool scalar = false;         // inside a bare scalar (number, true, ...)
  int scalar_depth = 0;
  bool expect_value[4] = {true, false, false, false};  // per depth (0..3)
  char kind[4] = {0, 0, 0, 0};                          // '[' or '{' per open depth (1..3)
  bool str_is_value = false;   // the open string is a value (not an object key)
  int str_depth = 0;
  uint64_t line = 1;
  long long line_start = 0;    // buffer offset of the current line's first byte
  bool root_done = false;      // the root value has ended
  long long trailing_at = -1;  // offset of non-space bytes after the root value

  // Callbacks receive (depth, offset, line, col) / (depth, end offset).
  template <class Begin, class End, class Key>
  void feed(const char* b, size_t from, size_t to, Begin&& on_begin, End&& on_end, Key&& on_key) {
    for (size_t i = from; i < to; ++i) {
      char c = b[i];
      if (in_str) {
        if (esc) {
          esc = false;
        } else if (c == '\\') {
          esc = true;
        } else if (c == '"') {
          in_str = false;
          if (str_is_value) {
            on_end(str_depth, i + 1);
            if (str_depth == 0) root_done = true;
          } else {
            on_key(str_depth, i + 1);
          }
        } else if (c == '\n') {
          ++line;
          line_start = static_cast<long long>(i) + 1;
        }
        continue;
      }
      if (scalar && (is_ws(c) || c == ',' || c == ']' || c == '}' || c == ':')) {
        scalar = false;
        on_end(scalar_depth, i);
        if (scalar_depth == 0) root_done = true;
      }
      if (c == '\n') {
        ++line;
        line_start = static_cast<long long>(i) + 1;
        continue;
      }
      if (is_ws(c) || scalar) continue;
      if (root_done && depth == 0) {
        if (trailing_at < 0) trailing_at = static_cast<long long>(i);
        continue;
      }
      int d = std::min(depth, 3);
      switch (c) {
        case '[':
        case '{':
          if (depth == 0 || expect_value[d]) {
            on_begin(depth, i, line, static_cast<uint64_t>(static_cast<long long>(i) - line_start) + 1);
            expect_value[d] = false;
          }
          ++depth;
          if (depth <= 3) {
            kind[depth] = c;
            expect_value[depth] = (c == '[');
          }
          break;
        case ']':
        case '}':
          if (depth > 0) --depth;
          on_end(depth, i + 1);
          if (depth == 0) root_done = true;
          break;
        case ',':
          if (depth >= 1 && depth <= 3 && kind[depth] == '[') expect_value[depth] = true;
          break;
        case ':':
          if (depth >= 1 && depth <= 3) expect_value[depth] = true;
          break;
        case '"':
          in_str = true;
          str_depth = depth;
          if (depth == 0 || (d >= 1 && expect_value[d]) || depth > 3) {
            str_is_value = true;
            on_begin(depth, i, line, static_cast<uint64_t>(static_cast<long long>(i) - line_start) + 1);
            if (depth <= 3) expect_value[d] = false;
          } else {
            str_is_value = false;
            on_key(depth, i);  // key begins
          }
          break;
        default:
          scalar = true;
          scalar_depth = depth;
          on_begin(depth, i, line, static_cast<uint64_t>(static_cast<long long>(i) - line_start) + 1);
          if (depth <= 3) expect_value[d] = false;
          break;
      }
    }
  }
};

}  // namespace rsq::input
