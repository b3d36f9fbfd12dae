// input/json_check.h — a slow, exact JSON validator used only after simdjson has
// refused a record, to say *where* and *why* in words a person can act on
// ("expected ',' or '}' after an object member" at column 37). simdjson's DOM
// API reports only an error code; the hot path never runs this.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace rsq {

struct JsonProblem {
  bool ok = true;
  size_t offset = 0;     // byte offset of the problem in the text
  std::string message;   // e.g. "invalid JSON: unterminated string"
  std::string code;      // "bad-json" or "bad-utf8"
};

JsonProblem check_json(std::string_view text);

// Byte offset of the first invalid UTF-8 sequence, or npos.
size_t first_invalid_utf8(std::string_view s);

}  // namespace rsq
