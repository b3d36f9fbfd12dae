// input/text_util.h (internal) — small string helpers of record extraction.
#pragma once
#include <string_view>

namespace rsq::input {

// Without leading and trailing ASCII white space.
inline std::string_view trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\n' || s[b] == '\r' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\n' || s[e - 1] == '\r' || s[e - 1] == '\t')) --e;
  return s.substr(b, e - b);
}

}  // namespace rsq::input
