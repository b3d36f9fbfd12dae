// The helpers the text renderings share (output/report_text.h).
#include "output/report_text.h"

#include <cmath>
#include <cstring>
#include <cstdio>

namespace rsq::out {

// At most 9 characters, so that a value never touches its neighbour in the
// table's 10-wide columns (62463.9673 did): fewer decimals first, then
// scientific notation.
std::string fixed(double x, const MetricInfo& m) {
  if (std::isnan(x)) return "-";
  char b[64];
  if (m.unit == "ratio" || m.kind == MetricKind::flag)
    std::snprintf(b, sizeof b, "%.4f", x);
  else if (std::fabs(x) >= 100)
    std::snprintf(b, sizeof b, "%.0f", x);
  else
    std::snprintf(b, sizeof b, "%.2f", x);
  for (const char* f : {"%.2f", "%.0f", "%.3g"})
    if (std::strlen(b) > 9) std::snprintf(b, sizeof b, f, x);
  return b;
}

std::string pad_right(std::string s, size_t w) {
  if (s.size() < w) s.append(w - s.size(), ' ');
  return s;
}
std::string pad_left(std::string s, size_t w) {
  if (s.size() < w) s.insert(0, w - s.size(), ' ');
  return s;
}

std::string counts_line(const std::map<std::string, uint64_t>& m) {
  std::string s;
  for (auto& [k, v] : m) {
    if (!s.empty()) s += ", ";
    s += k + " " + std::to_string(v);
  }
  return s;
}

std::string pct(uint64_t a, uint64_t b) {
  if (!b) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * static_cast<double>(a) / static_cast<double>(b));
  return buf;
}

std::string score1(double x) {
  if (!std::isfinite(x)) return "-";
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", x);
  return b;
}

std::string escape_markup(const std::string& s) {
  std::string o;
  o.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

std::string wrap(const std::string& text, const std::string& first, const std::string& next, size_t width) {
  auto unbind = [](std::string t) {
    for (char& c : t)
      if (c == kBind) c = ' ';
    return t;
  };
  size_t all = first.size();
  for (unsigned char c : text) all += (c & 0xC0) != 0x80;
  if (all <= width) return first + unbind(text) + "\n";  // fits: spacing kept as it is
  std::string out, line = first;
  size_t line_len = first.size();
  bool empty = true;  // nothing after the prefix yet
  size_t i = 0;
  auto columns = [](const std::string& w) {  // code points, not bytes
    size_t n = 0;
    for (unsigned char c : w) n += (c & 0xC0) != 0x80;
    return n;
  };
  while (i < text.size()) {
    size_t j = text.find(' ', i);
    if (j == std::string::npos) j = text.size();
    const std::string word = text.substr(i, j - i);
    i = j + 1;
    if (word.empty()) continue;
    const size_t w = columns(word);
    if (!empty && line_len + 1 + w > width) {
      out += line + "\n";
      line = next;
      line_len = next.size();
      empty = true;
    }
    if (!empty) {
      line += ' ';
      ++line_len;
    }
    line += unbind(word);
    line_len += w;
    empty = false;
  }
  return out + line + "\n";
}

std::vector<std::string> ranking_basis_text(const RankingBasis& b) {
  std::vector<std::string> out;
  auto pc = [](double x) { return std::to_string(static_cast<int>(std::lround(100 * x))) + "%"; };
  auto list = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
  };
  if (!b.comparable)
    out.push_back("NOT COMPARABLE: the inputs were measured on different metrics (coverage " + pc(b.coverage_min) +
                  (b.coverage_min != b.coverage_max ? "–" + pc(b.coverage_max) : "") + "; measured for some inputs only: " +
                  list(b.partly) + "), so the ranks compare averages over different metrics.");
  double measured = 0;
  for (const auto& [n, w] : b.measured) measured += w;
  std::string s = "Ranked on " + pc(measured) + " of the profile's weight";
  if (b.measured.empty()) {
    s += ": nothing measured for every input.";
  } else {
    s += ":";
    for (size_t k = 0; k < b.measured.size(); ++k)
      s += (k ? ", " : " ") + b.measured[k].first + kBind + pc(b.measured[k].second);
    if (b.measured.size() > 1 && b.measured[0].second > 0.5 * measured)
      s += " (" + b.measured[0].first + " alone is " + pc(b.measured[0].second / measured) + " of it)";
    s += ".";
  }
  const double rest = measured > 1 ? 0 : 1 - measured;
  if (!b.unmeasured.empty() || !b.partly.empty()) {
    s += std::string(b.partly.empty() ? " Not measured: " : " Not measured for every input: ") + pc(rest) + " (" +
         list(b.unmeasured);
    if (!b.partly.empty()) s += (b.unmeasured.empty() ? "" : "; ") + list(b.partly) + " for some inputs only";
    s += ").";
  }
  out.push_back(s);
  return out;
}

}  // namespace rsq::out
