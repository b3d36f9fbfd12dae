// Lines family: Gopher repetition over lines and paragraphs of the
// reasoning — the share of lines (paragraphs) that repeat an earlier one, and
// of code points inside them, split exactly as DataTrove splits them
// (docs/metrics.md; tests/cli/check_peers.py compares with Python's re).
#include <string_view>
#include <vector>

#include "metrics/family.h"
#include "text/hash.h"
#include "unicode.h"

namespace rsq::metrics {
namespace {

constexpr MetricInfo kRows[] = {
    {"dup_line_fraction", "reasoning", "ratio", MetricKind::value, 2,
     "lines repeating an earlier line / lines (Gopher, DataTrove counting)", "lines"},
    {"dup_line_char_fraction", "reasoning", "ratio", MetricKind::value, 2, "code points in repeated lines / code points",
     "lines"},
    {"dup_para_fraction", "reasoning", "ratio", MetricKind::value, 2, "paragraphs repeating an earlier paragraph / paragraphs",
     "lines"},
    {"dup_para_char_fraction", "reasoning", "ratio", MetricKind::value, 2, "code points in repeated paragraphs / code points",
     "lines"},
};

// Python's str.isspace() set, which DataTrove's text.strip() removes from
// both ends before splitting paragraphs.
bool is_py_space(uint32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
         cp == 0x3000;
}

// Decode one code point ending at s[e-1] (valid UTF-8: segments are decoded
// JSON strings).
uint32_t cp_before(std::string_view s, size_t e, size_t& len) {
  size_t b = e - 1;
  while (b > 0 && (static_cast<unsigned char>(s[b]) & 0xC0) == 0x80 && e - b < 4) --b;
  len = e - b;
  return uni::decode(reinterpret_cast<const unsigned char*>(s.data()) + b, len);
}

std::string_view py_strip(std::string_view s) {
  const auto* u = reinterpret_cast<const unsigned char*>(s.data());
  size_t b = 0, e = s.size();
  while (b < e) {
    size_t len;
    uint32_t cp = u[b] < 0x80 ? (len = 1, u[b]) : uni::decode(u + b, len);
    if (!is_py_space(cp)) break;
    b += len;
  }
  while (e > b) {
    size_t len;
    uint32_t cp = static_cast<unsigned char>(s[e - 1]) < 0x80 ? (len = 1, static_cast<unsigned char>(s[e - 1]))
                                                               : cp_before(s, e, len);
    if (!is_py_space(cp)) break;
    e -= len;
  }
  return s.substr(b, e - b);
}

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

  // DataTrove's splitting, exactly: lines are re.split("\n+", text) of the
  // raw text (so a leading or trailing newline gives an empty first or last
  // line, and white-space-only lines count like any other); paragraphs are
  // re.split("\n{2,}", text.strip()). Every piece counts, empty ones
  // included; the first occurrence is not a duplicate.
  void dup_lines(const text::Prepared& p, const Out& out) {
    const std::string_view r = p.r;
    const double rchars = p.cr.chars;
    const auto& ls = p.sr.line_spans;  // split on every single \n
    auto tally_hash = [&](std::string_view piece, uint64_t h, size_t& total, size_t& dups, double& dup_chars) {
      ++total;
      bool ins;
      counts.at(h, ins);
      if (!ins) {
        ++dups;
        dup_chars += static_cast<double>(chars_in(piece));
      }
    };
    size_t total = 0, dups = 0;
    double dup_chars = 0;
    counts.reset(ls.size());
    // Each line's hash is kept for the paragraphs: a paragraph that is one
    // whole line (most, in real traces) reuses it instead of hashing again.
    line_hash.resize(ls.size());
    // \n+ as a separator: empty spans between newlines vanish, but the first
    // and the last piece are kept even when empty.
    for (size_t k = 0; k < ls.size(); ++k) {
      auto [b, e] = ls[k];
      if (b == e && k != 0 && k + 1 != ls.size()) continue;
      const std::string_view piece = r.substr(b, e - b);
      line_hash[k] = text::hash_text(piece.data(), piece.size());
      tally_hash(piece, line_hash[k], total, dups, dup_chars);
    }
    out.set(0, total ? static_cast<double>(dups) / static_cast<double>(total) : 0.0);
    out.set(1, rchars > 0 ? dup_chars / rchars : 0.0);

    total = dups = 0;
    dup_chars = 0;
    counts.reset(ls.size());
    const std::string_view s = py_strip(r);
    size_t li = 0;  // the line span holding the paragraph's start (spans ascend)
    auto tally = [&](std::string_view piece) {
      const auto pb = static_cast<uint32_t>(piece.data() - r.data()), pe = pb + static_cast<uint32_t>(piece.size());
      while (li < ls.size() && ls[li].second < pb) ++li;
      // The same bytes as a tallied line (a non-empty one, or the first or
      // last): the same hash.
      const bool whole_line = li < ls.size() && ls[li].first == pb && ls[li].second == pe &&
                              (pb != pe || li == 0 || li + 1 == ls.size());
      tally_hash(piece, whole_line ? line_hash[li] : text::hash_text(piece.data(), piece.size()), total, dups,
                 dup_chars);
    };
    size_t b = 0;
    for (;;) {
      size_t nl = s.find("\n\n", b);
      if (nl == std::string_view::npos) {
        tally(s.substr(b));
        break;
      }
      tally(s.substr(b, nl - b));
      b = nl;
      while (b < s.size() && s[b] == '\n') ++b;
    }
    out.set(2, total ? static_cast<double>(dups) / static_cast<double>(total) : 0.0);
    out.set(3, rchars > 0 ? dup_chars / rchars : 0.0);
  }

  text::HashCount counts;
  std::vector<uint64_t> line_hash;  // per line span (only tallied ones are set)
};

}  // namespace

extern const Family lines{"lines", kRows, false, false, false, make_state<State>};

}  // namespace rsq::metrics
