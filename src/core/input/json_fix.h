// input/json_fix.h (internal) — valid JSON that simdjson refuses, made
// readable. JSON (RFC 8259) allows numbers of any size and \u escapes of lone
// surrogates (what Python's json.dumps writes for an emoji cut in half);
// simdjson rejects both. When simdjson refuses a record that the exact
// checker accepts, the record is rewritten byte-for-length: a lone surrogate
// escape becomes \ufffd (U+FFFD), an integer beyond 64 bits becomes the
// nearest double written in at most as many bytes, and a number beyond a
// double's range becomes null (padded with spaces). Columns stay true.
#pragma once
#include <string>
#include <string_view>

namespace rsq::input {

// Rewrites `text` into `out` (same length); false if nothing needed fixing.
bool fix_refused_json(std::string_view text, std::string& out);

}  // namespace rsq::input
