// Reading a tokenizer.json (tokenizer/tokenizer.h): every component the file
// names is either built exactly or refused before any record is read, with
// a message that names the component and its JSON path — a count made with
// a component left out would be silently wrong. The post-processor (the
// template that adds <s> or <|begin_of_text|>), the decoder, truncation and
// padding do not change which tokens a text is, so they are read past
// (docs/tokenizers.md says what is counted).
#include <simdjson.h>

#include <algorithm>
#include <utility>
#include <cstdio>
#include <future>

#include "rsq/error.h"
#include "rsq/report.h"
#include "sha256.h"
#include "tokenizer/tokenizer.h"
#include "unicode.h"

namespace rsq::tok {
namespace {

using elem = simdjson::dom::element;

struct Ctx {
  std::string file;
  [[noreturn]] void refuse(const std::string& path, const std::string& what) const {
    throw Error(ErrorKind::usage, file + ": " + path + ": " + what + " (supported: docs/tokenizers.md)");
  }
};

std::string_view str(const Ctx& c, elem e, const std::string& path) {
  std::string_view s;
  if (e.get_string().get(s)) c.refuse(path, "expected a string");
  return s;
}

bool flag(const Ctx& c, elem o, const char* key, const std::string& path, bool dflt = false) {
  elem v;
  if (o[key].get(v) || v.is_null()) return dflt;
  bool b;
  if (v.get_bool().get(b)) c.refuse(path + "." + key, "expected true or false");
  return b;
}

std::string_view type_of(const Ctx& c, elem o, const std::string& path) {
  elem t;
  if (!o.is_object() || o["type"].get(t)) c.refuse(path, "expected an object with a \"type\"");
  return str(c, t, path + ".type");
}

// {"String": s} or {"Regex": r}: a literal or a compiled pattern.
void pattern(const Ctx& c, elem o, const std::string& path, std::string& literal, std::shared_ptr<const Regex>& re) {
  elem p, v;
  if (o["pattern"].get(p) || !p.is_object()) c.refuse(path + ".pattern", "expected {\"String\": …} or {\"Regex\": …}");
  if (!p["String"].get(v)) {
    literal = std::string(str(c, v, path + ".pattern.String"));
    if (literal.empty()) c.refuse(path + ".pattern.String", "an empty pattern splits nothing");
  } else if (!p["Regex"].get(v)) {
    re = std::make_shared<Regex>(std::string(str(c, v, path + ".pattern.Regex")), c.file + ": " + path + ".pattern.Regex");
  } else {
    c.refuse(path + ".pattern", "expected {\"String\": …} or {\"Regex\": …}");
  }
}

void read_normalizer(const Ctx& c, elem n, const std::string& path, std::vector<NormStep>& out) {
  if (n.is_null()) return;
  std::string_view t = type_of(c, n, path);
  if (t == "Sequence") {
    simdjson::dom::array a;
    if (n["normalizers"].get_array().get(a)) c.refuse(path + ".normalizers", "expected an array");
    size_t i = 0;
    for (elem x : a) read_normalizer(c, x, path + ".normalizers[" + std::to_string(i++) + "]", out);
  } else if (t == "NFC" || t == "NFD" || t == "NFKC" || t == "NFKD") {
    out.push_back({t == "NFC" ? NormKind::nfc : t == "NFD" ? NormKind::nfd : t == "NFKC" ? NormKind::nfkc : NormKind::nfkd, {}, {}, {}});
  } else if (t == "Prepend") {
    elem v;
    if (n["prepend"].get(v)) c.refuse(path + ".prepend", "missing");
    out.push_back({NormKind::prepend, std::string(str(c, v, path + ".prepend")), {}, {}});
  } else if (t == "Replace") {
    NormStep s{NormKind::replace, {}, {}, {}};
    pattern(c, n, path, s.text, s.re);
    elem v;
    if (n["content"].get(v)) c.refuse(path + ".content", "missing");
    s.content = std::string(str(c, v, path + ".content"));
    out.push_back(std::move(s));
  } else {
    c.refuse(path, "the normalizer \"" + std::string(t) + "\" is not supported");
  }
}

void read_pre(const Ctx& c, elem n, const std::string& path, std::vector<PreStep>& out) {
  if (n.is_null()) return;
  std::string_view t = type_of(c, n, path);
  if (t == "Sequence") {
    simdjson::dom::array a;
    if (n["pretokenizers"].get_array().get(a)) c.refuse(path + ".pretokenizers", "expected an array");
    size_t i = 0;
    for (elem x : a) read_pre(c, x, path + ".pretokenizers[" + std::to_string(i++) + "]", out);
  } else if (t == "Split") {
    PreStep s{PreStep::split, {}, {}, SplitBehavior::isolated, false};
    pattern(c, n, path, s.literal, s.re);
    elem b;
    if (n["behavior"].get(b)) c.refuse(path + ".behavior", "missing");
    std::string_view bs = str(c, b, path + ".behavior");
    if (bs == "Removed") s.behavior = SplitBehavior::removed;
    else if (bs == "Isolated") s.behavior = SplitBehavior::isolated;
    else if (bs == "MergedWithPrevious") s.behavior = SplitBehavior::merged_with_previous;
    else if (bs == "MergedWithNext") s.behavior = SplitBehavior::merged_with_next;
    else if (bs == "Contiguous") s.behavior = SplitBehavior::contiguous;
    else c.refuse(path + ".behavior", "unknown behavior \"" + std::string(bs) + "\"");
    s.invert = flag(c, n, "invert", path);
    out.push_back(std::move(s));
  } else if (t == "ByteLevel") {
    // add_prefix_space prepends a space to every piece that reaches it; no
    // tokenizer here to check it against, so it is refused, not guessed.
    if (flag(c, n, "add_prefix_space", path, true))
      c.refuse(path + ".add_prefix_space", "a ByteLevel pre-tokenizer with add_prefix_space: true is not supported yet");
    PreStep s{PreStep::byte_level, {}, {}, SplitBehavior::isolated, false};
    if (flag(c, n, "use_regex", path, true))
      s.re = std::make_shared<Regex>("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
                                     c.file + ": " + path);
    out.push_back(std::move(s));
  } else if (t == "Metaspace") {
    if (!out.empty()) c.refuse(path, "a Metaspace pre-tokenizer after another pre-tokenizer is not supported");
    PreStep s{PreStep::metaspace, {}, "\xE2\x96\x81", SplitBehavior::merged_with_next, false};
    elem v;
    if (!n["replacement"].get(v)) s.literal = std::string(str(c, v, path + ".replacement"));
    if (s.literal.empty()) c.refuse(path + ".replacement", "an empty replacement is not supported");
    if (!n["prepend_scheme"].get(v) && !v.is_null()) {
      std::string_view p = str(c, v, path + ".prepend_scheme");
      if (p == "always") s.prepend = PreStep::always;
      else if (p == "first") s.prepend = PreStep::first;
      else if (p == "never") s.prepend = PreStep::never;
      else c.refuse(path + ".prepend_scheme", "expected always, first or never");
    } else if (!flag(c, n, "add_prefix_space", path, true)) {
      s.prepend = PreStep::never;  // the older spelling
    }
    s.split_on_replacement = flag(c, n, "split", path, true);
    out.push_back(std::move(s));
  } else {
    c.refuse(path, "the pre-tokenizer \"" + std::string(t) + "\" is not supported");
  }
}

// GPT-2's byte alphabet: printable bytes stand for themselves, the others
// for U+0100 upwards in byte order.
void byte_alphabet(uint16_t (&cp_of)[256]) {
  uint16_t next = 256;
  for (int b = 0; b < 256; ++b) {
    bool self = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || b >= 174;
    cp_of[b] = self ? static_cast<uint16_t>(b) : next++;
  }
}

// A vocabulary string in the byte alphabet to its bytes; false if some
// character is not in the alphabet (such a token is never produced).
bool decode_bytes(std::string_view s, const int16_t* byte_of, std::string& out) {
  out.clear();
  for (size_t i = 0; i < s.size();) {
    uint32_t cp;
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (i + n > s.size()) return false;
    cp = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
    for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    if (cp >= 324 || byte_of[cp] < 0) return false;
    out += static_cast<char>(byte_of[cp]);
    i += n;
  }
  return true;
}

void read_model(const Ctx& c, elem m, Model& out) {
  std::string_view t;
  elem v;
  if (!m.is_object()) c.refuse("model", "expected an object");
  if (!m["type"].get(v)) t = str(c, v, "model.type");
  else if (!m["merges"].get(v)) t = "BPE";  // older files leave the type out
  if (t != "BPE")
    c.refuse("model.type", "the model \"" + std::string(t) + "\" is not supported (BPE is; Unigram and WordPiece are not yet)");
  if (!m["dropout"].get(v) && !v.is_null()) {
    double d = 0;
    if (v.get(d) || d != 0.0) c.refuse("model.dropout", "BPE dropout makes counts random; only null is supported");
  }
  for (const char* k : {"continuing_subword_prefix", "end_of_word_suffix"})
    if (!m[k].get(v) && !v.is_null() && !str(c, v, std::string("model.") + k).empty())
      c.refuse(std::string("model.") + k, "a non-empty value is not supported yet");
  out.byte_fallback = flag(c, m, "byte_fallback", "model");
  out.fuse_unk = flag(c, m, "fuse_unk", "model");
  out.ignore_merges = flag(c, m, "ignore_merges", "model");

  uint16_t cp_of[256];
  byte_alphabet(cp_of);
  int16_t byte_of[324];
  std::fill(std::begin(byte_of), std::end(byte_of), int16_t{-1});
  for (int b = 0; b < 256; ++b) byte_of[cp_of[b]] = static_cast<int16_t>(b);

  simdjson::dom::object vocab;
  if (m["vocab"].get_object().get(vocab)) c.refuse("model.vocab", "expected an object of token: id");
  std::unordered_map<std::string_view, uint32_t> by_text;  // as written, for the merges
  by_text.reserve(vocab.size() * 2);
  out.vocab.reserve(vocab.size() * 2);
  std::string bytes;
  for (auto [k, idv] : vocab) {
    uint64_t id;
    if (idv.get_uint64().get(id) || id >= (uint64_t{1} << 31)) c.refuse("model.vocab", "ids must be non-negative integers");
    if (id >= out.tokens.size()) out.tokens.resize(id + 1);
    by_text[k] = static_cast<uint32_t>(id);
    if (out.byte_level) {
      if (!decode_bytes(k, byte_of, bytes)) continue;
    } else {
      bytes.assign(k);
    }
    out.tokens[id] = bytes;
    out.vocab.emplace(bytes, static_cast<uint32_t>(id));
  }
  if (!m["unk_token"].get(v) && !v.is_null()) {
    auto it = by_text.find(str(c, v, "model.unk_token"));
    if (it == by_text.end()) c.refuse("model.unk_token", "the unknown token is not in the vocabulary");
    out.unk = it->second;
  }
  for (int b = 0; b < 256; ++b) {
    auto it = out.vocab.find(std::string(1, static_cast<char>(b)));
    out.byte_token[b] = out.byte_level && it != out.vocab.end() ? int64_t{it->second} : int64_t{-1};
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    auto f = by_text.find(name);
    out.fallback_token[b] = f == by_text.end() ? int64_t{-1} : int64_t{f->second};
  }
  if (!out.byte_level && !out.ignore_merges && out.vocab.count("\xE2\x96\x81")) {
    for (const auto& [k, id] : out.vocab) {
      std::vector<size_t> at;
      for (size_t i = k.find("\xE2\x96\x81", 1); i != std::string::npos; i = k.find("\xE2\x96\x81", i + 1))
        if (i < 3 || k.compare(i - 3, 3, "\xE2\x96\x81") != 0) at.push_back(i);
      if (!at.empty()) out.crossing.emplace_back(k, std::move(at));
    }
    std::sort(out.crossing.begin(), out.crossing.end());
    out.cut_before_space = out.crossing.size() <= 64;
  }
  if (!out.byte_level) {
    out.char_token.assign(0x10000, -1);
    for (const auto& [k, id] : out.vocab) {
      unsigned char c0 = k.empty() ? 0 : static_cast<unsigned char>(k[0]);
      uint32_t cp = 0;
      if (k.size() == 1 && c0 < 0x80) cp = c0;
      else if (k.size() == 2 && (c0 & 0xE0) == 0xC0) cp = ((c0 & 0x1Fu) << 6) | (static_cast<unsigned char>(k[1]) & 0x3Fu);
      else if (k.size() == 3 && (c0 & 0xF0) == 0xE0)
        cp = ((c0 & 0x0Fu) << 12) | ((static_cast<unsigned char>(k[1]) & 0x3Fu) << 6) | (static_cast<unsigned char>(k[2]) & 0x3Fu);
      else continue;
      out.char_token[cp] = static_cast<int32_t>(id);
    }
  }

  simdjson::dom::array merges;
  if (m["merges"].get_array().get(merges)) c.refuse("model.merges", "expected an array");
  out.merges.reserve(merges.size());
  uint32_t rank = 0;
  std::string joined;
  for (elem e : merges) {
    std::string_view a, b;
    const std::string where = "model.merges[" + std::to_string(rank) + "]";
    if (e.is_string()) {
      std::string_view s = str(c, e, where);
      size_t sp = s.find(' ');
      if (sp == std::string_view::npos || s.find(' ', sp + 1) != std::string_view::npos)
        c.refuse(where, "expected \"left right\"");
      a = s.substr(0, sp);
      b = s.substr(sp + 1);
    } else {
      simdjson::dom::array pair;
      if (e.get_array().get(pair) || pair.size() != 2) c.refuse(where, "expected \"left right\" or [left, right]");
      a = str(c, pair.at(0), where);
      b = str(c, pair.at(1), where);
    }
    auto ia = by_text.find(a), ib = by_text.find(b);
    joined.assign(a).append(b);
    auto ij = by_text.find(joined);
    if (ia == by_text.end() || ib == by_text.end() || ij == by_text.end())
      c.refuse(where, "the merge of a token that is not in the vocabulary");
    out.merges.put(ia->second, ib->second, rank, ij->second);
    ++rank;
  }
}

}  // namespace

std::shared_ptr<const Tokenizer> Tokenizer::load(const std::string& path) {
  std::string bytes;
  try {
    bytes = read_file(path);
  } catch (const Error& e) {
    throw Error(e.kind(), std::string("--tokenizer: ") + e.what());
  }
  // The hash (~65 instructions a byte) runs beside the parse.
  auto hash = std::async(std::launch::async, [&bytes] { return hex(sha256(bytes)); });
  auto t = parse(bytes, path);
  auto* mut = const_cast<Tokenizer*>(t.get());
  mut->identity.sha256 = hash.get();
  mut->identity.file = path;
  return t;
}

std::shared_ptr<const Tokenizer> Tokenizer::parse(std::string_view json, const std::string& name) {
  Ctx c{name};
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  elem root;
  if (auto err = parser.parse(padded).get(root); err)
    throw Error(ErrorKind::usage, name + ": not a tokenizer.json (" + simdjson::error_message(err) + ")");
  if (!root.is_object()) throw Error(ErrorKind::usage, name + ": not a tokenizer.json (expected an object)");
  auto t = std::make_shared<Tokenizer>();
  elem n;
  if (!root["normalizer"].get(n)) read_normalizer(c, n, "normalizer", t->normalizer);
  if (!root["pre_tokenizer"].get(n)) read_pre(c, n, "pre_tokenizer", t->pre);
  for (const PreStep& s : t->pre) t->model.byte_level = t->model.byte_level || s.kind == PreStep::byte_level;
  if (root["model"].get(n)) c.refuse("model", "missing");
  read_model(c, n, t->model);
  t->identity.model = t->model.byte_level ? "BPE (byte-level)" : t->model.byte_fallback ? "BPE (byte fallback)" : "BPE";

  simdjson::dom::array added;
  if (!root["added_tokens"].get_array().get(added)) {
    size_t i = 0;
    for (elem a : added) {
      const std::string where = "added_tokens[" + std::to_string(i++) + "]";
      elem v;
      uint64_t id;
      if (a["id"].get(v) || v.get_uint64().get(id) || id >= (uint64_t{1} << 31)) c.refuse(where + ".id", "expected an id");
      if (a["content"].get(v)) c.refuse(where + ".content", "missing");
      std::string content(str(c, v, where + ".content"));
      for (const char* k : {"lstrip", "rstrip", "single_word"})
        if (flag(c, a, k, where))
          c.refuse(where + "." + k, "an added token with " + std::string(k) + ": true is not supported yet");
      if (content.empty()) continue;
      const bool special = flag(c, a, "special", where);
      AddedToken tok{content, static_cast<uint32_t>(id), special, flag(c, a, "normalized", where, !special)};
      if (id >= t->model.tokens.size()) t->model.tokens.resize(id + 1);
      if (t->model.tokens[id].empty()) t->model.tokens[id] = content;
      t->added.push_back(std::move(tok));
    }
  }
  index_added(*t);
  t->identity.vocab = t->model.tokens.size();
  if (t->model.tokens.empty()) c.refuse("model.vocab", "the vocabulary is empty");
  return t;
}

}  // namespace rsq::tok
