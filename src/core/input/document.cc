// JSON document framing: a pretty-printed top-level object wrapping the
// records ({"responses": [...]}, {"questions": {"id": {...}}}). The document
// is loaded whole (up to the record cap); the member that holds the records
// is the one named like a record list, else the largest array or id-keyed
// object of objects; with none, the document is the one record.
#include <cstring>
#include <string>

#include "input/framing.h"
#include "input/json_scan.h"

namespace rsq::input {
namespace {

class Document final : public Framer {
 public:
  explicit Document(InputState& s) : st(s) {}
  bool next(Chunk& c) override { return next_document(c); }

 private:
  InputState& st;
  Scanner sc;
  std::vector<char> doc;
  std::vector<RecordSpan> doc_spans;
  size_t doc_next = 0;

  bool next_document(Chunk& c) {
    if (doc_next == 0 && doc.empty()) {
      if (!load_document(c)) return true;
    }
    if (doc_next >= doc_spans.size()) return false;
    // Copy up to ~block_bytes of elements into the chunk.
    auto& b = c.buf;
    size_t total = 0, k = doc_next;
    while (k < doc_spans.size() && (k == doc_next || total + doc_spans[k].len + 1 <= st.opt.block_bytes)) {
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
    doc = std::move(st.carry);
    st.carry.clear();
    size_t len = doc.size();
    while (!st.eof) {
      if (len > st.opt.max_record_bytes) {
        c.rejects.push_back({Severity::error, "line-too-long",
                             "JSON document is larger than --max-line-bytes (" +
                                 std::to_string(st.opt.max_record_bytes) + " bytes); raise the cap to read it",
                             1, 1});
        while (!st.eof) {
          char tmp[1 << 16];
          size_t r = st.src.read(tmp, sizeof tmp);
          if (r == 0) st.eof = true;
          st.total_read += r;
        }
        doc.assign(1, 0);
        doc_next = 0;
        st.report_damage(c);
        return false;
      }
      len = st.fill(doc, len, std::max<size_t>(len * 2, size_t{1} << 20));
    }
    doc.resize(len);
    c.bytes = len;
    st.report_damage(c);

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

}  // namespace

std::unique_ptr<Framer> document_framer(InputState& st) { return std::make_unique<Document>(st); }

}  // namespace rsq::input
