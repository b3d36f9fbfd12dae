// sha256.h (internal) — SHA-256 (FIPS 180-4): the model-answer cache keys (a
// model answer is stored under the hash of everything that determines it)
// and the identity of a --tokenizer file.
#pragma once
#include <string>
#include <string_view>

namespace rsq {
std::string sha256(std::string_view data);  // 32 raw bytes
std::string hex(std::string_view bytes);
}  // namespace rsq
