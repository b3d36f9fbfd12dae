// Record framing (see rsq/reader.h for the contract). JSONL framing is a
// memchr loop; the array and document framings share one small structural
// scanner (strings, escapes, nesting) that reports where values begin and end
// without validating them: validation is the workers' job (simdjson), so a
// malformed element is rejected with a precise column later, not here.
#include "rsq/reader.h"

#include <algorithm>
#include <cstring>

#include "rsq/error.h"

namespace rsq {

const char* framing_name(Framing f) {
  switch (f) {
    case Framing::jsonl: return "jsonl";
    case Framing::array: return "json-array";
    case Framing::document: return "json-document";
  }
  return "?";
}

namespace {

inline bool is_ws(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// Incremental structural scanner. Positions are offsets into the buffer being
// fed; the owner rebases them when it moves bytes (carry-over between blocks).
struct Scanner {
  int depth = 0;               // containers currently open
  bool in_str = false, esc = false;
  bool scalar = false;         // inside a bare scalar (number, true, ...)
  int scalar_depth = 0;
  bool expect_value[4] = {true, false, false, false};  // per depth (0..3)
  char kind[4] = {0, 0, 0, 0};                          // '[' or '{' per open depth (1..3)
  bool str_is_value = false;   // the open string is a value (not an object key)
  int str_depth = 0;
  uint64_t line = 1;
  long long line_start = 0;    // buffer offset of the current line's first byte
  bool root_done = false;      // the root value has ended
  long long trailing_at = -1;  // offset of non-space bytes after the root value

  // Callbacks receive (depth, offset, line, col) / (depth, end offset).
  template <class Begin, class End, class Key>
  void feed(const char* b, size_t from, size_t to, Begin&& on_begin, End&& on_end, Key&& on_key) {
    for (size_t i = from; i < to; ++i) {
      char c = b[i];
      if (in_str) {
        if (esc) {
          esc = false;
        } else if (c == '\\') {
          esc = true;
        } else if (c == '"') {
          in_str = false;
          if (str_is_value) {
            on_end(str_depth, i + 1);
            if (str_depth == 0) root_done = true;
          } else {
            on_key(str_depth, i + 1);
          }
        } else if (c == '\n') {
          ++line;
          line_start = static_cast<long long>(i) + 1;
        }
        continue;
      }
      if (scalar && (is_ws(c) || c == ',' || c == ']' || c == '}' || c == ':')) {
        scalar = false;
        on_end(scalar_depth, i);
        if (scalar_depth == 0) root_done = true;
      }
      if (c == '\n') {
        ++line;
        line_start = static_cast<long long>(i) + 1;
        continue;
      }
      if (is_ws(c) || scalar) continue;
      if (root_done && depth == 0) {
        if (trailing_at < 0) trailing_at = static_cast<long long>(i);
        continue;
      }
      int d = std::min(depth, 3);
      switch (c) {
        case '[':
        case '{':
          if (depth == 0 || expect_value[d]) {
            on_begin(depth, i, line, static_cast<uint64_t>(static_cast<long long>(i) - line_start) + 1);
            expect_value[d] = false;
          }
          ++depth;
          if (depth <= 3) {
            kind[depth] = c;
            expect_value[depth] = (c == '[');
          }
          break;
        case ']':
        case '}':
          if (depth > 0) --depth;
          on_end(depth, i + 1);
          if (depth == 0) root_done = true;
          break;
        case ',':
          if (depth >= 1 && depth <= 3 && kind[depth] == '[') expect_value[depth] = true;
          break;
        case ':':
          if (depth >= 1 && depth <= 3) expect_value[depth] = true;
          break;
        case '"':
          in_str = true;
          str_depth = depth;
          if (depth == 0 || (d >= 1 && expect_value[d]) || depth > 3) {
            str_is_value = true;
            on_begin(depth, i, line, static_cast<uint64_t>(static_cast<long long>(i) - line_start) + 1);
            if (depth <= 3) expect_value[d] = false;
          } else {
            str_is_value = false;
            on_key(depth, i);  // key begins
          }
          break;
        default:
          scalar = true;
          scalar_depth = depth;
          on_begin(depth, i, line, static_cast<uint64_t>(static_cast<long long>(i) - line_start) + 1);
          if (depth <= 3) expect_value[d] = false;
          break;
      }
    }
  }
};

}  // namespace

struct Reader::Impl {
  ByteSource& src;
  ReaderOptions opt;
  Framing framing = Framing::jsonl;
  bool started = false;
  bool eof = false;
  bool damage_reported = false;
  uint64_t seq = 0;
  uint64_t total_read = 0, reported = 0;  // decompressed bytes read / handed out in chunks
  std::vector<char> carry;
  uint64_t line = 1;  // line number of carry[0] (jsonl)

  // array framing
  Scanner sc;
  long long elem_start = -1;  // offset in the current buffer of the open element
  uint64_t elem_line = 0, elem_col = 0;
  bool elem_skipping = false;  // the open element exceeded the cap
  bool array_closed_checked = false;
  bool carry_scanned = false;  // the carried bytes went through the scanner already

  // document framing
  std::vector<char> doc;
  std::vector<RecordSpan> doc_spans;
  size_t doc_next = 0;

  Impl(ByteSource& s, ReaderOptions o) : src(s), opt(o) {}

  // Reads into b[len..want); returns the new length (stops early only at EOF).
  size_t fill(std::vector<char>& b, size_t len, size_t want) {
    if (b.size() < want + kParsePadding) b.resize(want + kParsePadding);
    while (len < want && !eof) {
      size_t r = src.read(b.data() + len, want - len);
      if (r == 0) eof = true;
      len += r;
      total_read += r;
    }
    return len;
  }

  void report_damage(Chunk& c) {
    if (damage_reported || src.damage().empty()) return;
    damage_reported = true;
    c.input_errors.push_back({Severity::error, "truncated-input", src.damage(), 0, 0});
  }

  bool next(Chunk& c) {
    c.spans.clear();
    c.rejects.clear();
    c.input_errors.clear();
    c.notes.clear();
    c.bytes = 0;
    c.seq = seq;
    if (!started) return start(c);
    bool got = false;
    switch (framing) {
      case Framing::jsonl: got = next_jsonl(c); break;
      case Framing::array: got = next_array(c); break;
      case Framing::document: got = next_document(c); break;
    }
    if (got) ++seq;
    account(c);
    return got;
  }

  // Bytes consumed = read minus still carried; the same total whatever the
  // chunking (for progress and the report's `bytes`).
  void account(Chunk& c) {
    uint64_t consumed = total_read - carry.size();
    c.bytes = consumed - reported;
    reported = consumed;
  }

  // Reads the first block, strips a BOM and picks the framing.
  bool start(Chunk& c) {
    started = true;
    std::vector<char> b;
    size_t len = fill(b, 0, std::min<size_t>(opt.block_bytes, size_t{1} << 16));
    size_t skip = 0;
    if (len >= 3 && static_cast<unsigned char>(b[0]) == 0xEF && static_cast<unsigned char>(b[1]) == 0xBB &&
        static_cast<unsigned char>(b[2]) == 0xBF)
      skip = 3;
    size_t i = skip;
    while (i < len && is_ws(b[i])) ++i;
    if (i < len && b[i] == '[') {
      framing = Framing::array;
    } else if (i < len && b[i] == '{') {
      size_t j = i + 1;
      while (j < len && (b[j] == ' ' || b[j] == '\t' || b[j] == '\r')) ++j;
      if (j < len && b[j] == '\n') framing = Framing::document;
    }
    c.bytes += skip;
    carry.assign(b.begin() + static_cast<long>(skip), b.begin() + static_cast<long>(len));
    if (framing != Framing::jsonl)
      c.notes.push_back({Severity::note, "framing",
                         std::string("input is a ") + (framing == Framing::array ? "JSON array" : "JSON document") +
                             "; each element is one record",
                         0, 0});
    bool got = false;
    switch (framing) {
      case Framing::jsonl: got = next_jsonl(c); break;
      case Framing::array: got = next_array(c); break;
      case Framing::document: got = next_document(c); break;
    }
    if (got) ++seq;
    account(c);
    return got || !c.notes.empty() || !c.input_errors.empty();
  }

  // ---- JSONL ------------------------------------------------------------
  bool next_jsonl(Chunk& c) {
    if (eof && carry.empty()) {
      report_damage(c);
      return !c.input_errors.empty();
    }
    auto& b = c.buf;
    size_t n = carry.size();
    size_t want = std::max(opt.block_bytes, n + (opt.block_bytes >> 2));
    if (b.size() < want + kParsePadding) b.resize(want + kParsePadding);
    if (n) std::memcpy(b.data(), carry.data(), n);
    carry.clear();
    size_t len = fill(b, n, want);
    size_t pos = 0;
    for (;;) {
      const char* nl = len > pos ? static_cast<const char*>(std::memchr(b.data() + pos, '\n', len - pos)) : nullptr;
      if (nl) {
        size_t end = static_cast<size_t>(nl - b.data());
        size_t l = end - pos;
        bool cr = l && b[end - 1] == '\r';
        if (cr) --l;
        if (l > opt.max_record_bytes) {
          c.rejects.push_back(too_long(line));
        } else {
          c.spans.push_back({pos, l, line, 1, cr});
        }
        ++line;
        pos = end + 1;
        continue;
      }
      // No newline in [pos, len).
      if (eof) {
        if (pos < len) {
          if (!src.damage().empty()) {
            c.rejects.push_back({Severity::error, "truncated-input",
                                 "record cut off by the end of a damaged input stream", line, 1});
          } else if (len - pos > opt.max_record_bytes) {
            c.rejects.push_back(too_long(line));
          } else {
            size_t l = len - pos;
            bool cr = l && b[pos + l - 1] == '\r';
            if (cr) --l;
            c.spans.push_back({pos, l, line, 1, cr});
          }
          ++line;
          pos = len;
        }
        report_damage(c);
        break;
      }
      if (!c.spans.empty() || !c.rejects.empty()) {
        carry.assign(b.begin() + static_cast<long>(pos), b.begin() + static_cast<long>(len));
        break;
      }
      // A line longer than the block: grow, or reject once it passes the cap.
      if (len - pos > opt.max_record_bytes) {
        c.rejects.push_back(too_long(line));
        c.bytes += len;
        len = discard_to_newline(b);
        ++line;
        pos = 0;
        continue;
      }
      size_t grow = std::max(b.size() * 2, len + opt.block_bytes);
      len = fill(b, len, grow);
    }
    c.bytes += pos;
    return true;
  }

  Diagnostic too_long(uint64_t at) const {
    return {Severity::error, "line-too-long",
            "record is longer than --max-line-bytes (" + std::to_string(opt.max_record_bytes) + " bytes); skipped",
            at, 1};
  }

  // Drops bytes up to and including the next newline; leaves what follows in
  // b[0..ret). The buffer shrinks back to the block size.
  size_t discard_to_newline(std::vector<char>& b) {
    b.resize(opt.block_bytes + kParsePadding);
    b.shrink_to_fit();
    for (;;) {
      size_t len = fill(b, 0, opt.block_bytes);
      if (len == 0) return 0;
      const char* nl = static_cast<const char*>(std::memchr(b.data(), '\n', len));
      if (nl) {
        size_t rest = len - static_cast<size_t>(nl - b.data()) - 1;
        std::memmove(b.data(), nl + 1, rest);
        return rest;
      }
      if (eof) return 0;
    }
  }

  // ---- JSON array -------------------------------------------------------
  bool next_array(Chunk& c) {
    if (eof && carry.empty()) {
      finish_array(c);
      return !c.input_errors.empty() || !c.rejects.empty();
    }
    auto& b = c.buf;
    size_t n = carry.size();
    size_t want = std::max(opt.block_bytes, n + (opt.block_bytes >> 2));
    if (b.size() < want + kParsePadding) b.resize(want + kParsePadding);
    if (n) std::memcpy(b.data(), carry.data(), n);
    carry.clear();
    size_t scan_from = carry_scanned ? n : 0;
    size_t len = fill(b, n, want);
    for (;;) {
      sc.feed(
          b.data(), scan_from, len,
          [&](int depth, size_t pos, uint64_t ln, uint64_t col) {
            if (depth == 1) {
              elem_start = static_cast<long long>(pos);
              elem_line = ln;
              elem_col = col;
              elem_skipping = false;
            }
          },
          [&](int depth, size_t end) {
            if (depth == 1 && elem_start >= 0) {
              if (!elem_skipping)
                c.spans.push_back({static_cast<size_t>(elem_start), end - static_cast<size_t>(elem_start), elem_line,
                                   elem_col});
              elem_start = -1;
            }
          },
          [](int, size_t) {});
      if (elem_start >= 0 && !elem_skipping && static_cast<size_t>(len - static_cast<size_t>(elem_start)) > opt.max_record_bytes) {
        c.rejects.push_back(too_long(elem_line));
        elem_skipping = true;
      }
      if (eof) {
        size_t consumed = len;
        c.bytes += consumed;
        finish_array(c);
        return true;
      }
      if (elem_start >= 0 && !elem_skipping && c.spans.empty() && c.rejects.empty()) {
        // One element larger than the block: read more into the same buffer.
        scan_from = len;
        size_t grow = std::max(b.size() * 2, len + opt.block_bytes);
        len = fill(b, len, grow);
        continue;
      }
      // Carry the open element (if any) to the next buffer and rebase.
      size_t keep_from = (elem_start >= 0 && !elem_skipping) ? static_cast<size_t>(elem_start) : len;
      carry.assign(b.begin() + static_cast<long>(keep_from), b.begin() + static_cast<long>(len));
      carry_scanned = true;
      sc.line_start -= static_cast<long long>(keep_from);
      if (elem_start >= 0 && !elem_skipping) elem_start = 0;
      c.bytes += keep_from;
      return true;
    }
  }

  void finish_array(Chunk& c) {
    if (array_closed_checked) return;
    array_closed_checked = true;
    if (elem_start >= 0 && !elem_skipping) {
      bool damaged = !src.damage().empty();
      c.rejects.push_back({Severity::error, damaged ? "truncated-input" : "bad-json",
                           damaged ? "record cut off by the end of a damaged input stream"
                                   : "invalid JSON: the input ends inside this array element",
                           elem_line, elem_col});
      elem_start = -1;
    }
    if (sc.depth > 0 && src.damage().empty())
      c.input_errors.push_back({Severity::error, "bad-json", "the top-level JSON array is not closed", sc.line, 0});
    if (sc.trailing_at >= 0)
      c.input_errors.push_back(
          {Severity::error, "trailing-data", "unexpected data after the end of the top-level JSON array", sc.line, 0});
    report_damage(c);
  }

  // ---- JSON document ----------------------------------------------------
  bool next_document(Chunk& c) {
    if (doc_next == 0 && doc.empty()) {
      if (!load_document(c)) return true;
    }
    if (doc_next >= doc_spans.size()) return false;
    // Copy up to ~block_bytes of elements into the chunk.
    auto& b = c.buf;
    size_t total = 0, k = doc_next;
    while (k < doc_spans.size() && (k == doc_next || total + doc_spans[k].len + 1 <= opt.block_bytes)) {
      total += doc_spans[k].len + 1;
      ++k;
    }
    if (b.size() < total + kParsePadding) b.resize(total + kParsePadding);
    size_t pos = 0;
    for (size_t i = doc_next; i < k; ++i) {
      const auto& s = doc_spans[i];
      std::memcpy(b.data() + pos, doc.data() + s.off, s.len);
      b[pos + s.len] = '\n';
      c.spans.push_back({pos, s.len, s.line, s.col});
      pos += s.len + 1;
    }
    c.bytes = total;
    doc_next = k;
    if (doc_next >= doc_spans.size()) {
      std::vector<char>().swap(doc);
      doc.push_back(0);  // marks "loaded"
    }
    return true;
  }

  bool load_document(Chunk& c) {
    doc = std::move(carry);
    carry.clear();
    size_t len = doc.size();
    while (!eof) {
      if (len > opt.max_record_bytes) {
        c.rejects.push_back({Severity::error, "line-too-long",
                             "JSON document is larger than --max-line-bytes (" +
                                 std::to_string(opt.max_record_bytes) + " bytes); raise the cap to read it",
                             1, 1});
        while (!eof) {
          char tmp[1 << 16];
          size_t r = src.read(tmp, sizeof tmp);
          if (r == 0) eof = true;
          total_read += r;
        }
        doc.assign(1, 0);
        doc_next = 0;
        report_damage(c);
        return false;
      }
      len = fill(doc, len, std::max<size_t>(len * 2, size_t{1} << 20));
    }
    doc.resize(len);
    c.bytes = len;
    report_damage(c);

    struct Cand {
      std::string key;
      std::vector<RecordSpan> elems;
      bool objects = true;
    };
    std::vector<Cand> cands;
    Cand cur;
    bool in_cand = false;
    long long key_start = -1;
    std::string last_key;
    long long e_start = -1;
    uint64_t e_line = 0, e_col = 0;
    sc.feed(
        doc.data(), 0, len,
        [&](int depth, size_t pos, uint64_t ln, uint64_t col) {
          if (depth == 1 && (doc[pos] == '[' || doc[pos] == '{')) {
            in_cand = true;
            cur = Cand{last_key, {}, true};
          } else if (depth == 2 && in_cand) {
            e_start = static_cast<long long>(pos);
            e_line = ln;
            e_col = col;
            if (doc[pos] != '{') cur.objects = false;
          }
        },
        [&](int depth, size_t end) {
          if (depth == 2 && in_cand && e_start >= 0) {
            cur.elems.push_back({static_cast<size_t>(e_start), end - static_cast<size_t>(e_start), e_line, e_col});
            e_start = -1;
          } else if (depth == 1 && in_cand) {
            in_cand = false;
            cands.push_back(std::move(cur));
          }
        },
        [&](int depth, size_t pos) {
          if (depth != 1) return;
          if (key_start < 0) {
            key_start = static_cast<long long>(pos);
          } else {
            last_key.assign(doc.data() + key_start + 1, doc.data() + pos - 1);
            key_start = -1;
          }
        });
    // Prefer members whose name says they hold the records; else the largest.
    static const char* const kRecordKeys[] = {"questions", "responses", "records", "data", "examples",
                                              "items", "samples", "rows", "conversations", "results"};
    auto named = [](const std::string& k) {
      for (const char* n : kRecordKeys)
        if (k == n) return true;
      return false;
    };
    const Cand* best = nullptr;
    for (const auto& cd : cands) {
      if (!cd.objects || cd.elems.empty()) continue;
      if (!best || (named(cd.key) && !named(best->key)) ||
          (named(cd.key) == named(best->key) && cd.elems.size() > best->elems.size()))
        best = &cd;
    }
    if (sc.depth != 0 || sc.in_str) {
      c.rejects.push_back({Severity::error, "bad-json", "invalid JSON: the document is not closed", 1, 1});
      return false;
    }
    if (!best) {
      // No record container: the document itself is the one record.
      doc_spans.push_back({0, len, 1, 1});
    } else {
      doc_spans = best->elems;
      c.notes.push_back({Severity::note, "framing",
                         "records taken from member '" + best->key + "' (" + std::to_string(best->elems.size()) +
                             " elements)",
                         0, 0});
    }
    if (sc.trailing_at >= 0)
      c.input_errors.push_back({Severity::error, "trailing-data", "unexpected data after the end of the JSON document",
                                sc.line, 0});
    return true;
  }
};

Reader::Reader(ByteSource& src, ReaderOptions opt) : impl_(std::make_unique<Impl>(src, opt)) {}
Reader::~Reader() = default;
bool Reader::next(Chunk& c) { return impl_->next(c); }
Framing Reader::framing() const { return impl_->framing; }

}  // namespace rsq
