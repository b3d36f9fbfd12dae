// Encoding a text (tokenizer/tokenizer.h) in Hugging Face's order: split off
// the added tokens that match the raw text; normalize each stretch between
// them; split off the added tokens that match the normalized text; run the
// pre-tokenizers, each on every piece the one before left; the BPE model on
// each piece. The post-processor is not applied (add_special_tokens=False):
// the counts are the text's own tokens. Short pieces repeat (words), so
// their ids are cached per encoder; the cache never changes a result.
#include <simdjson.h>

#include <algorithm>
#include <cstring>

#include "tokenizer/bpe.h"
#include "tokenizer/tokenizer.h"

namespace rsq::tok {

void index_added(Tokenizer& t) {
  for (const AddedToken& a : t.added) {
    Tokenizer::AddedIndex& ix = a.normalized ? t.norm : t.raw;
    std::string content = a.content;
    if (a.normalized && !t.normalizer.empty()) {
      Matcher m;
      normalize(t, a.content, content, m);
    }
    if (content.empty()) continue;
    const auto c0 = static_cast<unsigned char>(content[0]);
    const uint32_t key = content.size() == 1 ? 0x10000u | c0 : (uint32_t{c0} << 8) | static_cast<unsigned char>(content[1]);
    auto& list = ix.by_prefix[key];
    // Two added tokens with one content: the later one wins, as in a map.
    auto same = std::find_if(list.begin(), list.end(), [&](const auto& p) { return p.first == content; });
    if (same != list.end()) same->second = a.id;
    else list.emplace_back(content, a.id);
    ix.first[c0] = true;
    ix.any = true;
  }
  for (auto* ix : {&t.raw, &t.norm})
    for (auto& [k, list] : ix->by_prefix)
      std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
}

namespace {

// The leftmost-longest added token in s at or after pos.
bool next_added(const Tokenizer::AddedIndex& ix, std::string_view s, size_t pos, size_t& at, size_t& len, uint32_t& id) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (size_t i = pos; i < s.size(); ++i) {
    if (!ix.first[p[i]]) continue;
    if (i + 1 < s.size()) {
      auto it = ix.by_prefix.find((uint32_t{p[i]} << 8) | p[i + 1]);
      if (it != ix.by_prefix.end())
        for (const auto& [c, tid] : it->second)
          if (c.size() <= s.size() - i && std::memcmp(c.data(), s.data() + i, c.size()) == 0) {
            at = i, len = c.size(), id = tid;
            return true;
          }
    }
    auto one = ix.by_prefix.find(0x10000u | p[i]);
    if (one != ix.by_prefix.end()) {
      at = i, len = 1, id = one->second.front().second;
      return true;
    }
  }
  return false;
}

struct Span {
  uint32_t b, e;
  bool match;
};

// Hugging Face's SplitDelimiterBehavior over (span, is-match) pairs.
void apply_behavior(SplitBehavior how, const std::vector<Span>& in, std::vector<std::pair<uint32_t, uint32_t>>& out) {
  out.clear();
  bool prev = false;
  switch (how) {
    case SplitBehavior::removed:
      for (const Span& s : in)
        if (!s.match) out.emplace_back(s.b, s.e);
      return;
    case SplitBehavior::isolated:
      for (const Span& s : in) out.emplace_back(s.b, s.e);
      return;
    case SplitBehavior::merged_with_previous:
      for (const Span& s : in) {
        if (s.match && !prev && !out.empty()) out.back().second = s.e;
        else out.emplace_back(s.b, s.e);
        prev = s.match;
      }
      return;
    case SplitBehavior::merged_with_next:
      for (size_t k = in.size(); k-- > 0;) {
        const Span& s = in[k];
        if (s.match && !prev && !out.empty()) out.back().first = s.b;
        else out.emplace_back(s.b, s.e);
        prev = s.match;
      }
      std::reverse(out.begin(), out.end());
      return;
    case SplitBehavior::contiguous:
      for (const Span& s : in) {
        if (s.match == prev && !out.empty()) out.back().second = s.e;
        else out.emplace_back(s.b, s.e);
        prev = s.match;
      }
      return;
  }
}

// Pieces longer than this skip the cache (and use the heap merge past kLinearMax symbols).
constexpr size_t kCacheMax = 64;
constexpr size_t kLinearMax = 48;
constexpr size_t kCacheEntries = size_t{1} << 18;

struct StrHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
struct StrEq {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const noexcept { return a == b; }
};

}  // namespace

struct Encoder::Impl {
  std::shared_ptr<const Tokenizer> t;
  Matcher matcher;
  std::string norm, meta;
  std::vector<std::pair<uint32_t, uint32_t>> pieces, next, hits, split;
  std::vector<Span> spans;
  std::vector<uint32_t> syms;
  std::vector<uint64_t> ranks;
  HeapScratch heap;
  std::unordered_map<std::string, std::pair<uint32_t, uint32_t>, StrHash, StrEq> cache;
  std::vector<uint32_t> cache_ids;
  std::vector<uint32_t> syms_out;  // count()'s ids

  void model(std::string_view piece, std::vector<uint32_t>& ids, bool use_cache) {
    const Model& m = t->model;
    if (use_cache && piece.size() <= kCacheMax) {
      auto it = cache.find(piece);
      if (it != cache.end()) {
        ids.insert(ids.end(), cache_ids.begin() + it->second.first, cache_ids.begin() + it->second.first + it->second.second);
        return;
      }
    }
    bool whole = false;
    if (m.ignore_merges) {
      auto v = m.vocab.find(std::string(piece));
      if (v != m.vocab.end()) {
        syms.assign(1, v->second);
        whole = true;
      }
    }
    if (!whole) {
      initial_symbols(m, piece, syms);
      if (syms.size() <= kLinearMax) merge_linear(m, syms, ranks);
      else merge_heap(m, syms, heap);
    }
    ids.insert(ids.end(), syms.begin(), syms.end());
    if (use_cache && piece.size() <= kCacheMax) {
      if (cache.size() >= kCacheEntries) {
        cache.clear();
        cache_ids.clear();
      }
      cache.emplace(std::string(piece), std::make_pair(static_cast<uint32_t>(cache_ids.size()), static_cast<uint32_t>(syms.size())));
      cache_ids.insert(cache_ids.end(), syms.begin(), syms.end());
    }
  }

  void split_piece(const PreStep& st, std::string_view s, uint32_t base) {
    hits.clear();
    if (st.re) {
      matcher.find_all(*st.re, s, hits);
    } else {
      for (size_t pos = 0, at; (at = s.find(st.literal, pos)) != std::string_view::npos; pos = at + st.literal.size())
        hits.emplace_back(static_cast<uint32_t>(at), static_cast<uint32_t>(at + st.literal.size()));
    }
    spans.clear();
    uint32_t prev = 0;
    for (auto [b, e] : hits) {
      if (b != prev) spans.push_back({prev, b, st.invert});
      spans.push_back({b, e, !st.invert});
      prev = e;
    }
    if (prev != s.size()) spans.push_back({prev, static_cast<uint32_t>(s.size()), st.invert});
    apply_behavior(st.behavior, spans, split);
    for (auto [b, e] : split)
      if (e > b) next.emplace_back(base + b, base + e);
  }

  // Pre-tokenizers, then the model, on one normalized stretch; at_start: it
  // begins the text (Metaspace's "first").
  void pre_and_model(std::string_view s, std::vector<uint32_t>& ids, bool at_start) {
    if (s.empty()) return;
    pieces.assign(1, {0u, static_cast<uint32_t>(s.size())});
    if (!t->pre.empty() && t->pre[0].kind == PreStep::metaspace) {
      const PreStep& st = t->pre[0];
      meta.clear();
      // Hugging Face checks for the prefix after the spaces are replaced.
      const bool starts = s[0] == ' ' || s.substr(0, st.literal.size()) == st.literal;
      if (!starts && (st.prepend == PreStep::always || (st.prepend == PreStep::first && at_start))) meta = st.literal;
      for (char c : s) {
        if (c == ' ') meta += st.literal;
        else meta += c;
      }
      s = meta;
      pieces.assign(1, {0u, static_cast<uint32_t>(s.size())});
      if (st.split_on_replacement) {
        PreStep cut{PreStep::split, {}, st.literal, SplitBehavior::merged_with_next, false};
        next.clear();
        split_piece(cut, s, 0);
        pieces.swap(next);
      }
    }
    for (const PreStep& st : t->pre) {
      if (st.kind == PreStep::metaspace) continue;  // done above
      if (st.kind == PreStep::byte_level && !st.re) continue;  // the byte alphabet is the vocabulary's business
      next.clear();
      for (auto [b, e] : pieces) split_piece(st, s.substr(b, e - b), b);
      pieces.swap(next);
    }
    if (t->model.cut_before_space) {
      for (auto [b, e] : pieces) cut_and_model(s.substr(b, e - b), ids);
      return;
    }
    const bool use_cache = !t->pre.empty();  // without a pre-tokenizer the piece is the whole text
    for (auto [b, e] : pieces) model(s.substr(b, e - b), ids, use_cache);
  }

  // Whether a token that crosses a "▁" run's start occurs in s across i.
  bool crossed(std::string_view s, size_t i) const {
    for (const auto& [tok, offs] : t->model.crossing)
      for (size_t o : offs)
        if (o <= i && i - o + tok.size() <= s.size() && s.compare(i - o, tok.size(), tok) == 0) return true;
    return false;
  }

  // Cut before each "▁" that follows another character (Model::cut_before_space).
  void cut_and_model(std::string_view s, std::vector<uint32_t>& ids) {
    size_t from = 0;
    for (size_t i = s.find("\xE2\x96\x81", 1); i != std::string_view::npos; i = s.find("\xE2\x96\x81", i + 3)) {
      if (i >= 3 && s.compare(i - 3, 3, "\xE2\x96\x81") == 0) continue;
      if (crossed(s, i)) continue;
      model(s.substr(from, i - from), ids, true);
      from = i;
    }
    model(s.substr(from), ids, true);
  }

  void normalized_stretch(std::string_view s, std::vector<uint32_t>& ids, bool at_start) {
    const Tokenizer::AddedIndex& ix = t->norm;
    if (!ix.any) return pre_and_model(s, ids, at_start);
    size_t pos = 0, at, len;
    uint32_t id;
    while (next_added(ix, s, pos, at, len, id)) {
      pre_and_model(s.substr(pos, at - pos), ids, at_start && pos == 0);
      ids.push_back(id);
      pos = at + len;
    }
    pre_and_model(s.substr(pos), ids, at_start && pos == 0);
  }

  void raw_stretch(std::string_view s, std::vector<uint32_t>& ids, bool at_start) {
    if (s.empty()) return;
    if (t->normalizer.empty()) return normalized_stretch(s, ids, at_start);
    normalize(*t, s, norm, matcher);
    normalized_stretch(norm, ids, at_start);
  }
};

Encoder::Encoder(std::shared_ptr<const Tokenizer> t) : impl_(std::make_unique<Impl>()) { impl_->t = std::move(t); }
Encoder::~Encoder() = default;

bool Encoder::encode(std::string_view text, std::vector<uint32_t>& ids) {
  ids.clear();
  if (!simdjson::validate_utf8(text.data(), text.size())) return false;
  const Tokenizer::AddedIndex& ix = impl_->t->raw;
  if (!ix.any) {
    impl_->raw_stretch(text, ids, true);
    return true;
  }
  size_t pos = 0, at, len;
  uint32_t id;
  while (next_added(ix, text, pos, at, len, id)) {
    impl_->raw_stretch(text.substr(pos, at - pos), ids, pos == 0);
    ids.push_back(id);
    pos = at + len;
  }
  impl_->raw_stretch(text.substr(pos), ids, pos == 0);
  return true;
}

int64_t Encoder::count(std::string_view text) {
  std::vector<uint32_t>& ids = impl_->syms_out;
  return encode(text, ids) ? static_cast<int64_t>(ids.size()) : -1;
}

void Encoder::trim() {
  impl_->cache.clear();
  impl_->cache_ids = {};
  impl_->pieces = {};
  impl_->next = {};
  impl_->hits = {};
  impl_->split = {};
  impl_->spans = {};
  impl_->syms = {};
  impl_->ranks = {};
  impl_->heap = {};
  impl_->syms_out = {};
}

void Encoder::bpe_piece(std::string_view piece, std::vector<uint32_t>& ids, bool heap) {
  initial_symbols(impl_->t->model, piece, ids);
  if (heap) merge_heap(impl_->t->model, ids, impl_->heap);
  else merge_linear(impl_->t->model, ids, impl_->ranks);
}

}  // namespace rsq::tok
