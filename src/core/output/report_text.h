// output/report_text.h (internal) — what the text renderings of a report
// (table, CSV/TSV, Markdown) share: number formats, padding, count lines.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "rsq/emit.h"
#include "rsq/metrics.h"

namespace rsq::out {

// A metric's value as the table prints it: 4 decimals for ratios and
// flags, whole numbers from 100 on, else 2 decimals; "-" for NaN.
std::string fixed(double x, const MetricInfo& m);
std::string pad_right(std::string s, size_t w);
std::string pad_left(std::string s, size_t w);
std::string counts_line(const std::map<std::string, uint64_t>& m);  // "a 3, b 1"
std::string pct(uint64_t a, uint64_t b);                             // "12.5%", "-" when b == 0
std::string score1(double x);                                        // one decimal, "-" if not finite
// & < > " escaped: text and double-quoted attributes of XML and HTML.
std::string escape_markup(const std::string& s);
// Word-wraps `text` to `width` columns: the first line starts with `first`,
// the others with `next`. A word longer than a line (a path) stays whole; a
// text that fits is returned as it is. kBind joins two words that must stay
// on one line ("redundancy_ratio 9%") and is printed as a space.
inline constexpr char kBind = '\x01';
std::string wrap(const std::string& text, const std::string& first, const std::string& next, size_t width = 80);
// The sentences that say what a ranking rests on (RankingBasis): whether the
// inputs are comparable, which metrics carry the measured weight, what is
// not measured.
std::vector<std::string> ranking_basis_text(const RankingBasis& b);

std::string emit_table(const Report& r, bool color);
std::string emit_csv(const Report& r, char sep);
std::string emit_markdown(const Report& r);
std::string emit_html(const nlohmann::ordered_json& report);  // from the report's JSON (output/html.cc)

}  // namespace rsq::out
