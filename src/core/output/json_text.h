// output/json_text.h (internal) — the one JSON string escaper and number
// writer for output written by hand (annotate rows, filter reasons), where
// building a DOM per record would cost more than the record's metrics.
// Valid UTF-8 is copied; each byte of an invalid sequence becomes \ufffd,
// so every line written is valid JSON and valid UTF-8.
#pragma once
#include <string>
#include <string_view>

namespace rsq::out {

void json_string(std::string& out, std::string_view s);
// Shortest round-trip form; NaN and infinities are null.
void json_number(std::string& out, double v);

}  // namespace rsq::out
