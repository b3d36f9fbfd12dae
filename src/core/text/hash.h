// text/hash.h (internal) — the hashing shared by the per-record pass: a
// 64-bit byte hash, a faster one for lines, the interning key of a word,
// and HashCount, the generation-stamped open-addressing table that
// duplicate-line counting and the stop-word set use. Header-only where
// inlining is the point.
#pragma once
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace rsq::text {

inline uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

uint64_t hash_bytes(const void* p, size_t n);

// The hash of a line or paragraph for duplicate counting: 16 bytes per
// step, each folded in by one 64x64->128-bit multiply (the high and low
// halves xored), about half of hash_bytes's instructions per byte on long
// inputs. Its values are only compared within a record, never stored, so
// it may differ from hash_bytes (whose values judge sampling depends on).
uint64_t hash_text(const void* p, size_t n);

// The interning key of a word: its own bytes when they fit in 8 (zero
// padded: words never contain NUL, so distinct short words get distinct
// keys; multiply + xor-shift is a bijection that spreads them over the
// index bits), a 64-bit hash of the bytes for longer words. Most words are
// short, and this skips hashing them. `end` bounds the over-read.
inline uint64_t word_key(const char* w, size_t len, const char* end) {
  if (len > 8) {
    if (len <= 16) {
      // hash_bytes(w, len) inlined for 9..16 bytes (one round, then the
      // last 8 bytes), the same value: a call per long word was 0.6 % of
      // the corpus's instructions. The unit test holds the two equal.
      uint64_t a, b;
      std::memcpy(&a, w, 8);
      std::memcpy(&b, w + len - 8, 8);
      uint64_t h = ((0x9E3779B97F4A7C15ULL ^ (len * 0x100000001B3ULL)) ^ a) * 0xff51afd7ed558ccdULL;
      h ^= h >> 29;
      return mix(h ^ b ^ (uint64_t(len) << 56));
    }
    return hash_bytes(w, len);
  }
  uint64_t v = 0;
  if constexpr (std::endian::native == std::endian::little) {
    if (end - w >= 8) {
      std::memcpy(&v, w, 8);
      v &= ~uint64_t{0} >> (64 - 8 * len);  // len is 1..8 here (a word has a byte): no branch
    } else {
      std::memcpy(&v, w, len);
    }
  } else {
    std::memcpy(&v, w, len);
  }
  v *= 0x9E3779B97F4A7C15ULL;
  return v ^ (v >> 32);
}

// Open-addressing set / counter of 64-bit hashes. Slots are valid only when
// their stamp equals the current generation, so reset() is O(1) instead of a
// memset per record (which dominated profiles on short records). The
// storage keeps the largest size any record needed, but each round probes
// only the first `cap_` slots, sized for that round: a short record after a
// long one must not scatter its probes over a table that no longer fits the
// L1/L2 cache (probe loads were 45 % of this class's time before).
class HashCount {
 public:
  void reset(size_t expected) {
    size_t cap = 16;
    while (cap < expected * 2) cap <<= 1;
    if (cap > slots_.size()) {
      slots_.assign(cap, Slot{});
      gen_ = 0;
    }
    cap_ = cap;
    next_gen();
    used_ = 0;
  }
  // The value stored for h (inserted as 0 if new).
  uint32_t& at(uint64_t h, bool& inserted) {
    if ((used_ + 1) * 2 > cap_) grow();
    return at_unchecked(h, inserted);
  }
  // How many inserts may skip the check (at_unchecked) from here: the
  // table grows first if it is full, exactly when at() would grow it, so a
  // caller that takes no more than this many keeps at()'s table sizes.
  size_t make_room() {
    if ((used_ + 1) * 2 > cap_) grow();
    return cap_ / 2 - used_;
  }
  uint32_t& at_unchecked(uint64_t h, bool& inserted) {
    size_t mask = cap_ - 1, i = h & mask;
    while (slots_[i].stamp == gen_ && slots_[i].key != h) i = (i + 1) & mask;
    Slot& sl = slots_[i];
    inserted = sl.stamp != gen_;
    if (inserted) {
      sl.stamp = gen_;
      sl.key = h;
      sl.val = 0;
      ++used_;
    }
    return sl.val;
  }
  // Gives the storage back; the next reset() allocates what it needs.
  void release() {
    std::vector<Slot>().swap(slots_);
    cap_ = used_ = 0;
    gen_ = 0;
  }
  bool contains(uint64_t h) const {
    size_t mask = cap_ - 1, i = h & mask;
    while (slots_[i].stamp == gen_) {
      if (slots_[i].key == h) return true;
      i = (i + 1) & mask;
    }
    return false;
  }

 private:
  struct Slot {
    uint64_t key = 0;
    uint32_t val = 0, stamp = 0;
  };
  void next_gen() {
    if (++gen_ == 0) {  // wrapped: clear stamps once every 2^32 rounds
      for (auto& x : slots_) x.stamp = 0;
      gen_ = 1;
    }
  }
  [[gnu::noinline]] void grow() {
    std::vector<Slot> live;
    live.reserve(used_);
    for (size_t i = 0; i < cap_; ++i)
      if (slots_[i].stamp == gen_) live.push_back(slots_[i]);
    cap_ *= 2;
    if (cap_ > slots_.size()) {
      slots_.assign(cap_, Slot{});
      gen_ = 0;
    }
    next_gen();
    used_ = 0;
    for (const auto& sl : live) {
      bool ins;
      at(sl.key, ins) = sl.val;
    }
  }
  std::vector<Slot> slots_;
  uint32_t gen_ = 0;
  size_t cap_ = 0, used_ = 0;
};

}  // namespace rsq::text
