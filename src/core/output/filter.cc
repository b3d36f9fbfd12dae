// rsq filter's outputs besides the records themselves: the --reasons lines
// (one JSON object per rejected record) and the funnel on stderr.
#include <algorithm>
#include <cstdio>

#include "output/json_text.h"
#include "rsq/emit.h"

namespace rsq {

std::string filter_reason_line(uint64_t line, std::string_view reason, bool copied) {
  std::string r = "{\"line\":" + std::to_string(line) + ",\"reason\":";
  out::json_string(r, reason);
  if (!copied) r += ",\"copied\":false";
  return r + "}\n";
}

std::string filter_failed_line(uint64_t line, const std::vector<std::string>& clauses, const std::vector<char>& failed) {
  std::string r = "{\"line\":" + std::to_string(line) + ",\"failed\":[";
  bool first = true;
  for (size_t k = 0; k < clauses.size(); ++k)
    if (failed[k]) {
      if (!first) r += ',';
      first = false;
      out::json_string(r, clauses[k]);
    }
  return r + "]}\n";
}

std::string emit_filter_summary(const FilterResult& r) {
  char buf[512];
  std::snprintf(buf, sizeof buf, "rsq filter: kept %llu of %llu records (%.1f%%), rejected %llu", static_cast<unsigned long long>(r.kept),
                static_cast<unsigned long long>(r.lines),
                r.lines ? 100.0 * static_cast<double>(r.kept) / static_cast<double>(r.lines) : 0.0,
                static_cast<unsigned long long>(r.rejected));
  std::string out = buf;
  auto pad_left = [](std::string t, size_t w) { return t.size() < w ? std::string(w - t.size(), ' ') + t : t; };
  for (size_t k = 0; k < r.clauses.size(); ++k) {
    std::string q = "'" + r.clauses[k] + "'";
    if (q.size() < 40) q.append(40 - q.size(), ' ');
    out += "\n  failed " + q + " " + std::to_string(r.clause_failures[k]);
  }
  for (const auto& [c, n] : r.unscored)
    out += "\n  not scored (" + c + ") " + pad_left(std::to_string(n), std::max<size_t>(1, 27 - std::min<size_t>(c.size(), 26)));
  return out;
}

}  // namespace rsq
