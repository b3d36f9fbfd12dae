// text/compressor.h (internal) — compressed size of a text with zstd or zlib,
// for the redundancy family. One instance per worker keeps its context and
// output buffer across records.
#pragma once
#include <cstddef>
#include <memory>
#include <string_view>

#include "rsq/settings.h"

namespace rsq::text {

// Compressed size of s with the given codec and level (zlib: exactly what
// Python's zlib.compress(s, level) returns).
class Compressor {
 public:
  Compressor(Codec c, int level);
  ~Compressor();
  Compressor(const Compressor&) = delete;
  Compressor& operator=(const Compressor&) = delete;
  size_t compressed_size(std::string_view s);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rsq::text
