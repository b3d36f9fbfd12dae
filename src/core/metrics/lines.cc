// Lines family: Gopher repetition over lines and paragraphs of the
// reasoning — the share of lines (paragraphs) that repeat an earlier one, and
// of code points inside them (docs/metrics.md, which also says where this
// differs from DataTrove's splitting).
#include <string_view>

#include "metrics/family.h"
#include "text/hash.h"

namespace rsq::metrics {
namespace {

constexpr MetricInfo kRows[] = {
    {"dup_line_fraction", "reasoning", "ratio", MetricKind::value, 1,
     "lines repeating an earlier line / lines (Gopher, DataTrove counting)", "lines"},
    {"dup_line_char_fraction", "reasoning", "ratio", MetricKind::value, 1, "code points in repeated lines / code points",
     "lines"},
    {"dup_para_fraction", "reasoning", "ratio", MetricKind::value, 1, "paragraphs repeating an earlier paragraph / paragraphs",
     "lines"},
    {"dup_para_char_fraction", "reasoning", "ratio", MetricKind::value, 1, "code points in repeated paragraphs / code points",
     "lines"},
};

bool is_ws_byte(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

class State final : public FamilyState {
 public:
  void compute(const text::Prepared& p, const Out& out) override {
    if (p.r.empty()) return;
    dup_lines(p, out);
  }

 private:
  static size_t chars_in(std::string_view s) {
    size_t cont = 0;
    for (char ch : s) cont += (static_cast<unsigned char>(ch) & 0xC0) == 0x80;
    return s.size() - cont;
  }
  static bool blank(std::string_view s) {
    for (char c : s)
      if (!is_ws_byte(c)) return false;
    return true;
  }

  // Duplicate lines (split on \n) and paragraphs (split on \n\n+, i.e. at
  // empty lines); pieces that are empty or only white space are dropped; the
  // first occurrence is not a duplicate.
  void dup_lines(const text::Prepared& p, const Out& out) {
    const std::string_view r = p.r;
    const double rchars = p.cr.chars;
    const auto& ls = p.sr.line_spans;
    auto tally = [&](std::string_view piece, size_t& total, size_t& dups, double& dup_chars) {
      if (blank(piece)) return;
      ++total;
      bool ins;
      counts.at(text::hash_bytes(piece.data(), piece.size()), ins);
      if (!ins) {
        ++dups;
        dup_chars += static_cast<double>(chars_in(piece));
      }
    };
    size_t total = 0, dups = 0;
    double dup_chars = 0;
    counts.reset(ls.size());
    for (auto [b, e] : ls) tally(r.substr(b, e - b), total, dups, dup_chars);
    out.set(0, total ? static_cast<double>(dups) / static_cast<double>(total) : 0.0);
    out.set(1, rchars > 0 ? dup_chars / rchars : 0.0);

    total = dups = 0;
    dup_chars = 0;
    counts.reset(ls.size());
    size_t k = 0;
    while (k < ls.size()) {
      while (k < ls.size() && ls[k].first == ls[k].second) ++k;  // empty lines separate paragraphs
      if (k == ls.size()) break;
      size_t first = k;
      while (k < ls.size() && ls[k].first != ls[k].second) ++k;
      uint32_t pb = ls[first].first, pe = ls[k - 1].second;
      tally(r.substr(pb, pe - pb), total, dups, dup_chars);
    }
    out.set(2, total ? static_cast<double>(dups) / static_cast<double>(total) : 0.0);
    out.set(3, rchars > 0 ? dup_chars / rchars : 0.0);
  }

  text::HashCount counts;
};

}  // namespace

extern const Family lines{"lines", kRows, false, false, false, make_state<State>};

}  // namespace rsq::metrics
