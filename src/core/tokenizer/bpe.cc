// The BPE model (tokenizer/tokenizer.h): a piece's initial symbols (bytes
// for byte-level vocabularies; code points, else <0xXX> byte fallback, else
// the unknown token, for SentencePiece-style ones), then merges by rank,
// lowest first and leftmost among equals — Hugging Face's word.merge_all.
// Short pieces (nearly all, after a pre-tokenizer) use a linear rescan of
// the pair ranks; long ones (a whole text when there is no pre-tokenizer) a
// heap, as Hugging Face does. Both give the same ids (a unit test compares).
#include <algorithm>
#include <queue>

#include "tokenizer/bpe.h"

namespace rsq::tok {

void MergeTable::reserve(size_t n) {
  size_t cap = 16;
  while (cap < n * 2) cap <<= 1;
  slots_.assign(cap, Slot{});
  mask_ = cap - 1;
  n_ = 0;
}

void MergeTable::put(uint32_t a, uint32_t b, uint32_t rank, uint32_t id) {
  if ((n_ + 1) * 2 > slots_.size()) {
    std::vector<Slot> old = std::move(slots_);
    reserve(std::max<size_t>(16, old.size()));
    for (const Slot& s : old)
      if (s.k != kEmpty) put(static_cast<uint32_t>(s.k >> 32), static_cast<uint32_t>(s.k), static_cast<uint32_t>(s.v >> 32),
                             static_cast<uint32_t>(s.v));
  }
  const uint64_t k = key(a, b), v = (uint64_t{rank} << 32) | id;
  for (size_t i = mix(k) & mask_;; i = (i + 1) & mask_) {
    if (slots_[i].k == k) {
      slots_[i].v = v;
      return;
    }
    if (slots_[i].k == kEmpty) {
      slots_[i] = {k, v};
      ++n_;
      return;
    }
  }
}

namespace {

constexpr uint64_t kNone = ~uint64_t{0};

void push_unknown(const Model& m, std::vector<uint32_t>& syms, bool& last_unk) {
  if (m.unk < 0) return;  // no unknown token: the character is dropped, as in Hugging Face
  if (m.fuse_unk && last_unk) return;
  syms.push_back(static_cast<uint32_t>(m.unk));
  last_unk = true;
}

}  // namespace

void initial_symbols(const Model& m, std::string_view piece, std::vector<uint32_t>& syms) {
  syms.clear();
  bool last_unk = false;
  if (m.byte_level) {
    for (unsigned char c : piece) {
      if (m.byte_token[c] >= 0) {
        syms.push_back(static_cast<uint32_t>(m.byte_token[c]));
        last_unk = false;
      } else if (m.byte_fallback && m.fallback_token[c] >= 0) {
        syms.push_back(static_cast<uint32_t>(m.fallback_token[c]));
        last_unk = false;
      } else {
        push_unknown(m, syms, last_unk);
      }
    }
    return;
  }
  for (size_t i = 0; i < piece.size();) {
    unsigned char c = static_cast<unsigned char>(piece[i]);
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    n = std::min(n, piece.size() - i);
    int64_t id = -1;
    if (n <= 3) {
      uint32_t cp = n == 1 ? c : n == 2 ? c & 0x1Fu : c & 0x0Fu;
      for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(piece[i + k]) & 0x3Fu);
      if (cp < m.char_token.size()) id = m.char_token[cp];
    } else {
      auto it = m.vocab.find(std::string(piece.substr(i, n)));
      if (it != m.vocab.end()) id = it->second;
    }
    if (id >= 0) {
      syms.push_back(static_cast<uint32_t>(id));
      last_unk = false;
    } else {
      bool all = m.byte_fallback;
      for (size_t k = 0; all && k < n; ++k) all = m.fallback_token[static_cast<unsigned char>(piece[i + k])] >= 0;
      if (all) {
        for (size_t k = 0; k < n; ++k) syms.push_back(static_cast<uint32_t>(m.fallback_token[static_cast<unsigned char>(piece[i + k])]));
        last_unk = false;
      } else {
        push_unknown(m, syms, last_unk);
      }
    }
    i += n;
  }
}

void merge_linear(const Model& m, std::vector<uint32_t>& s, std::vector<uint64_t>& ranks) {
  const size_t n0 = s.size();
  if (n0 < 2) return;
  ranks.resize(n0 - 1);
  for (size_t i = 0; i + 1 < n0; ++i) ranks[i] = m.merges.find(s[i], s[i + 1]);
  size_t n = n0;
  for (;;) {
    uint64_t best = kNone;
    size_t at = 0;
    for (size_t i = 0; i + 1 < n; ++i)
      if (ranks[i] < best) {  // strictly less: the leftmost of equal ranks wins
        best = ranks[i];
        at = i;
      }
    if (best == kNone) break;
    s[at] = static_cast<uint32_t>(best);
    s.erase(s.begin() + static_cast<ptrdiff_t>(at) + 1);
    ranks.erase(ranks.begin() + static_cast<ptrdiff_t>(at));
    --n;
    if (at + 1 < n) ranks[at] = m.merges.find(s[at], s[at + 1]);
    if (at > 0) ranks[at - 1] = m.merges.find(s[at - 1], s[at]);
  }
}

void merge_heap(const Model& m, std::vector<uint32_t>& s, HeapScratch& h) {
  const size_t n = s.size();
  if (n < 2) return;
  h.prev.resize(n);
  h.next.resize(n);
  h.alive.assign(n, 1);
  for (size_t i = 0; i < n; ++i) {
    h.prev[i] = static_cast<int32_t>(i) - 1;
    h.next[i] = i + 1 < n ? static_cast<int32_t>(i + 1) : -1;
  }
  // (rank, pos) packed so that the smallest pops first; the merged id is
  // looked up again on pop (a stale entry no longer matches its pair).
  using Entry = std::pair<uint64_t, uint32_t>;  // (rank << 32 | pos, merged id)
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> q;
  auto push = [&](size_t pos, size_t nxt) {
    uint64_t r = m.merges.find(s[pos], s[nxt]);
    if (r != kNone) q.push({(r >> 32) << 32 | pos, static_cast<uint32_t>(r)});
  };
  for (size_t i = 0; i + 1 < n; ++i) push(i, i + 1);
  while (!q.empty()) {
    auto [key, id] = q.top();
    q.pop();
    const size_t pos = static_cast<uint32_t>(key);
    if (!h.alive[pos] || h.next[pos] < 0) continue;
    const size_t nxt = static_cast<size_t>(h.next[pos]);
    uint64_t r = m.merges.find(s[pos], s[nxt]);
    if (r == kNone || static_cast<uint32_t>(r) != id) continue;
    s[pos] = id;
    h.alive[nxt] = 0;
    h.next[pos] = h.next[nxt];
    if (h.next[nxt] >= 0) h.prev[static_cast<size_t>(h.next[nxt])] = static_cast<int32_t>(pos);
    if (h.prev[pos] >= 0) push(static_cast<size_t>(h.prev[pos]), pos);
    if (h.next[pos] >= 0) push(pos, static_cast<size_t>(h.next[pos]));
  }
  size_t w = 0;
  for (size_t i = 0; i < n; ++i)
    if (h.alive[i]) s[w++] = s[i];
  s.resize(w);
}

}  // namespace rsq::tok
