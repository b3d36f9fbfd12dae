// models/sha256.h — SHA-256 (FIPS 180-4), for cache keys: a model answer is
// stored under the hash of everything that determines it.
#pragma once
#include <string>
#include <string_view>

namespace rsq::models {
std::string sha256(std::string_view data);  // 32 raw bytes
std::string hex(std::string_view bytes);
}  // namespace rsq::models
