// The byte hashes of text/hash.h: hash_bytes, fast on short keys (words),
// and hash_text, fast on lines and paragraphs; neither is for adversarial
// inputs (nothing here is a security boundary: a collision only merges two
// counts).
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

namespace {
__extension__ typedef unsigned __int128 u128;
inline uint64_t fold_mul(uint64_t a, uint64_t b) {
  const u128 r = static_cast<u128>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}
inline uint64_t load64(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline uint64_t load32(const unsigned char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
}  // namespace

uint64_t hash_text(const void* data, size_t n) {
  constexpr uint64_t k1 = 0xa0761d6478bd642fULL, k2 = 0xe7037ed1a0b428dbULL, k3 = 0x8ebc6af09c88c6e3ULL;
  const auto* p = static_cast<const unsigned char*>(data);
  const unsigned char* const end = p + n;
  uint64_t seed = k3 ^ (n * 0x9E3779B97F4A7C15ULL), a, b;
  if (n <= 16) {
    if (n >= 8) {
      a = load64(p);
      b = load64(end - 8);  // overlapping
    } else if (n >= 4) {
      a = load32(p);
      b = load32(end - 4);
    } else {
      a = n ? (uint64_t(p[0]) << 16) | (uint64_t(p[n / 2]) << 8) | p[n - 1] : 0;
      b = 0;
    }
  } else {
    for (size_t i = n; i > 16; i -= 16, p += 16) seed = fold_mul(load64(p) ^ k1, load64(p + 8) ^ seed);
    a = load64(end - 16);  // the last 16 bytes, overlapping what the loop took
    b = load64(end - 8);
  }
  return fold_mul(k1 ^ n, fold_mul(a ^ k2, b ^ seed));
}

}  // namespace rsq::text
