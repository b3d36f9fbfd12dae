// The byte hash of text/hash.h: fast on short keys (words, lines), which is
// all the per-record pass hashes; not for adversarial inputs (nothing here
// is a security boundary: a collision only merges two counts).
#include "text/hash.h"

namespace rsq::text {

uint64_t hash_bytes(const void* data, size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ (n * 0x100000001B3ULL);
  size_t len = n;
  while (n > 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    h = (h ^ v) * 0xff51afd7ed558ccdULL;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  uint64_t v;
  if (len >= 8) {
    std::memcpy(&v, p + n - 8, 8);  // overlapping load of the last 8 bytes
  } else if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    v = (uint64_t(a) << 32) | b;
  } else {
    v = n ? (uint64_t(p[0]) << 16) | (uint64_t(p[n / 2]) << 8) | p[n - 1] : 0;
  }
  return mix(h ^ v ^ (uint64_t(len) << 56));
}

}  // namespace rsq::text
