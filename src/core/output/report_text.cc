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

}  // namespace rsq::out
