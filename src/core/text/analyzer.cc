// The per-record text pass (rsq/text.h): shared preprocessing once, then the
// selected metric families in registry order. Which families run, and so
// whether tokens are kept and interned, is decided once per analyzer.
#include <algorithm>
#include <limits>

#include "metrics/family.h"
#include "metrics/registry.h"
#include "rsq/text.h"
#include "text/prepared.h"
#include "text/scan.h"
#include "text/words.h"
#include "unicode.h"

namespace rsq {

struct TextAnalyzer::Impl {
  TextOptions opt;
  std::unique_ptr<uni::IcuWords> icu;
  text::Scanner scanner;
  text::Vocabulary vocab;
  std::vector<text::Token> tq, tr, ta;
  text::Scan sq, sr, sa;
  std::vector<std::pair<uint32_t, uint32_t>> spans;
  struct Run {
    metrics::FamilyState* state;
    const uint16_t* cols;
  };
  std::vector<std::unique_ptr<metrics::FamilyState>> states;
  std::vector<Run> runs;  // the families computed, in registry order
  size_t ncols = 0;
  bool keep_tokens = false, intern_ids = false;

  explicit Impl(const TextOptions& o) : opt(o), vocab(o.stem_prefix) {
    if (opt.words == WordMode::icu) icu = std::make_unique<uni::IcuWords>();
    scanner.fast_runs = opt.fast_runs;
    const metrics::Table& t = metrics::table();
    ncols = t.rows.size();
    bool tokens = false;
    for (size_t i = 0; i < t.families.size(); ++i) {
      const metrics::Family* f = t.families[i];
      if (!f->make) continue;  // model-backed: the model stage computes it (rsq/models.h)
      bool run = f->always;
      for (uint16_t c : t.columns[i]) run = run || opt.metrics.has(c);
      if (!run) continue;
      states.push_back(f->make(opt));
      runs.push_back({states.back().get(), t.columns[i].data()});
      tokens = tokens || f->tokens;
      intern_ids = intern_ids || f->ids;
    }
    // With --words icu the word counts are ICU's tokens, so they are kept.
    keep_tokens = tokens || icu;
  }

  void tokenize_words(std::string_view s, std::vector<text::Token>& out) {
    if (icu) {
      out.clear();
      icu->spans(s, spans);
      for (auto [o, l] : spans) {
        uint32_t chars = 0;
        for (uint32_t i = o; i < o + l; ++i) chars += (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
        text::Token& t = out.emplace_back();
        t.off = o;
        t.len = l;
        t.chars = chars;
      }
      return;
    }
    text::Scan tmp;
    scanner.scan(s, out, tmp, -1);
  }

  // Segment pass honouring --words: the fused scan always runs (for the
  // counts); with ICU the tokens are replaced by ICU's.
  // count: also count the words' occurrences (the reasoning's, for n-grams).
  void segment(std::string_view s, std::vector<text::Token>& out, text::Scan& sc, int qscript, bool count) {
    scanner.scan(s, out, sc, qscript);
    if (icu) tokenize_words(s, out);
    if (!intern_ids) return;  // word ids serve only the families that asked
    if (count)
      vocab.intern_counting(s, out);
    else
      vocab.intern(s, out);
  }

  static text::SegmentCounts counts_of(std::string_view s, const text::Scan& sc, size_t words) {
    text::SegmentCounts c;
    c.bytes = static_cast<double>(s.size());
    c.chars = static_cast<double>(sc.chars);
    c.words = static_cast<double>(words);
    c.sentences = static_cast<double>(sc.sentences.size());
    c.lines = static_cast<double>(sc.lines);
    return c;
  }

  void analyze(const RecordText& rec, double* row) {
    std::fill(row, row + ncols, std::numeric_limits<double>::quiet_NaN());
    std::string_view q = rec.question, r = rec.reasoning, a = rec.answer;
    scanner.begin_record();
    scanner.keep_tokens = keep_tokens;
    vocab.begin_record();
    segment(q, tq, sq, -2, false);
    const int qscript = scanner.dominant(sq);
    segment(r, tr, sr, qscript, true);
    segment(a, ta, sa, -1, false);
    // Words: the tokens' count (ICU's tokens with --words icu), or the scan's
    // count when no computed family reads the tokens.
    const text::Prepared p{rec,
                           q,
                           r,
                           a,
                           tq,
                           tr,
                           ta,
                           sq,
                           sr,
                           sa,
                           qscript,
                           counts_of(q, sq, keep_tokens ? tq.size() : sq.words),
                           counts_of(r, sr, keep_tokens ? tr.size() : sr.words),
                           counts_of(a, sa, keep_tokens ? ta.size() : sa.words),
                           vocab.words(),
                           vocab.forms(),
                           intern_ids ? vocab.counts() : nullptr};
    for (const Run& run : runs) run.state->compute(p, metrics::Out(row, run.cols));
    // After a record of more than 4 MiB the scratch it grew is given back
    // (docs/design.md, "Memory"); below that it is kept for reuse.
    if (q.size() + r.size() + a.size() > (size_t{4} << 20)) {
      for (auto* t : {&tq, &tr, &ta}) std::vector<text::Token>().swap(*t);
      for (auto* s : {&sq, &sr, &sa}) {
        decltype(s->sentences)().swap(s->sentences);
        decltype(s->line_spans)().swap(s->line_spans);
      }
      for (const auto& st : states) st->trim();
      vocab.trim();
    }
  }

  void tokenize(std::string_view s, std::vector<text::Token>& out) {
    scanner.keep_tokens = true;
    scanner.begin_record();
    vocab.begin_record();
    tokenize_words(s, out);
    vocab.intern(s, out);
  }
};

TextAnalyzer::TextAnalyzer(const TextOptions& opt) : impl_(std::make_unique<Impl>(opt)) {}
TextAnalyzer::~TextAnalyzer() = default;
void TextAnalyzer::analyze(const RecordText& rec, double* row) { impl_->analyze(rec, row); }
void TextAnalyzer::tokenize(std::string_view s, std::vector<text::Token>& out) { impl_->tokenize(s, out); }

}  // namespace rsq
