// The metric registry (rsq/metrics.h): the list of families and the one
// table built from their rows. Report order — the column order of every
// per-record value row, the report, annotate and the schema — is: value
// metrics first, then flags; within each, families in the order listed here
// and rows in each family's order. A new family is one line in kFamilies
// (and its `extern` above it).
#include <algorithm>
#include <array>
#include <vector>

#include "metrics/family.h"
#include "metrics/registry.h"
#include "rsq/error.h"

namespace rsq::metrics {

extern const Family redundancy, symbols, alignment, verbosity, tokens, lines, ngrams, loops, scripts, structure,
    semantic, perplexity, judge;

namespace {

const Family* const kFamilies[] = {&redundancy, &symbols,   &alignment, &verbosity,  &tokens, &lines, &ngrams,
                                   &loops,      &scripts,   &structure, &semantic,   &perplexity, &judge};

Table build() {
  Table t;
  for (MetricKind kind : {MetricKind::value, MetricKind::flag})
    for (const Family* f : kFamilies)
      for (const MetricInfo& m : f->rows)
        if (m.kind == kind) t.rows.push_back(m);
  for (const Family* f : kFamilies) {
    t.families.push_back(f);
    t.groups.push_back(f->group);
    std::vector<uint16_t> cols;
    for (const MetricInfo& m : f->rows)
      for (size_t c = 0; c < t.rows.size(); ++c)
        if (t.rows[c].name == m.name) cols.push_back(static_cast<uint16_t>(c));
    t.columns.push_back(std::move(cols));
  }
  return t;
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    prev.swap(cur);
  }
  return prev[b.size()];
}

}  // namespace

const Table& table() {
  static const Table t = build();
  return t;
}

}  // namespace rsq::metrics

namespace rsq {

using metrics::table;
using metrics::edit_distance;

std::span<const MetricInfo> all_metrics() { return table().rows; }

std::span<const std::string_view> metric_groups() { return table().groups; }

namespace {
std::vector<char> offline_mask() {
  std::vector<char> m;
  for (const auto& r : table().rows) m.push_back(r.endpoint.empty() ? 1 : 0);
  return m;
}
}  // namespace

MetricSelection::MetricSelection() : mask_(offline_mask()) {}

MetricSelection MetricSelection::parse(std::string_view list) {
  const auto& kMetrics = table().rows;
  MetricSelection out;
  std::vector<char>& sel = out.mask_;
  std::fill(sel.begin(), sel.end(), 0);
  bool first = true;
  size_t pos = 0;
  while (pos <= list.size()) {
    size_t comma = list.find(',', pos);
    if (comma == std::string_view::npos) comma = list.size();
    std::string_view item = list.substr(pos, comma - pos);
    pos = comma + 1;
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.empty()) {
      if (comma == list.size()) break;
      continue;
    }
    bool remove = item.front() == '-';
    if (remove) item.remove_prefix(1);
    if (first && remove) sel = offline_mask();
    first = false;
    bool known = false;
    for (size_t i = 0; i < kMetrics.size(); ++i)
      if ((item == "all" && kMetrics[i].endpoint.empty()) || kMetrics[i].name == item || kMetrics[i].group == item) {
        sel[i] = remove ? 0 : 1;
        known = true;
      }
    if (!known) {
      std::string hint = closest_metric(item);
      for (auto g : metric_groups())
        if (hint.empty() && edit_distance(item, g) <= 2) hint = std::string(g);
      std::string groups;
      for (auto g : metric_groups()) groups += (groups.empty() ? "" : ", ") + std::string(g);
      throw Error(ErrorKind::usage, "--metrics: unknown metric or group '" + std::string(item) + "'" +
                                        (hint.empty() ? "" : " (did you mean '" + hint + "'?)") + "; groups: " + groups +
                                        "; metrics: see docs/metrics.md");
    }
  }
  if (std::find(sel.begin(), sel.end(), 1) == sel.end())
    throw Error(ErrorKind::usage, "--metrics: the selection '" + std::string(list) + "' leaves no metric");
  return out;
}

MetricSelection MetricSelection::of_names(const std::vector<std::string>& names) {
  const auto& kMetrics = table().rows;
  MetricSelection out;
  std::fill(out.mask_.begin(), out.mask_.end(), 0);
  for (const auto& n : names)
    if (const MetricInfo* m = find_metric(n)) out.mask_[static_cast<size_t>(m - kMetrics.data())] = 1;
  return out;
}

bool MetricSelection::all() const { return mask_ == offline_mask(); }

void MetricSelection::add_endpoint(std::string_view endpoint) {
  const auto& rows = table().rows;
  for (size_t i = 0; i < rows.size(); ++i)
    if (rows[i].endpoint == endpoint) mask_[i] = 1;
}

bool MetricSelection::needs(std::string_view endpoint) const {
  const auto& rows = table().rows;
  for (size_t i = 0; i < rows.size(); ++i)
    if (mask_[i] && rows[i].endpoint == endpoint) return true;
  return false;
}

size_t MetricSelection::count() const { return static_cast<size_t>(std::count(mask_.begin(), mask_.end(), 1)); }

bool MetricSelection::has_group(std::string_view group) const {
  const auto& rows = table().rows;
  for (size_t i = 0; i < rows.size(); ++i)
    if (mask_[i] && rows[i].group == group) return true;
  return false;
}

std::vector<std::string> MetricSelection::names() const {
  std::vector<std::string> out;
  const auto& rows = table().rows;
  for (size_t i = 0; i < rows.size(); ++i)
    if (mask_[i]) out.emplace_back(rows[i].name);
  return out;
}


const MetricInfo* find_metric(std::string_view name) {
  for (const auto& m : table().rows)
    if (m.name == name) return &m;
  return nullptr;
}

std::string closest_metric(std::string_view name) {
  // A name that starts a metric's name ("redundancy") is the likeliest intent.
  if (name.size() >= 3)
    for (const auto& m : table().rows)
      if (m.name.substr(0, name.size()) == name) return std::string(m.name);
  size_t best = 4;
  std::string_view pick;
  for (const auto& m : table().rows) {
    size_t d = edit_distance(name, m.name);
    if (d < best) {
      best = d;
      pick = m.name;
    }
  }
  return std::string(pick);
}

}  // namespace rsq
