// `rsq correlate` core: strict CSV/report loading, the correlation table,
// and a user-calibrated profile from it. Renderings: output/correlation.cc.
#include "rsq/correlate.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "rsq/emit.h"
#include "rsq/error.h"
#include "rsq/report.h"
#include "stats.h"

namespace rsq {

namespace {

[[noreturn]] void data_error(const std::string& where, const std::string& what) {
  throw Error(ErrorKind::data, where + ": " + what);
}

// RFC 4180 CSV: quoted fields, "" escapes, CRLF, BOM.
std::vector<std::vector<std::string>> parse_csv(const std::string& text, const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string cell;
  size_t i = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  bool quoted = false, any = false;
  size_t line = 1;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        cell += c;
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == ',') {
      row.push_back(cell);
      cell.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (any || !cell.empty()) {
        row.push_back(cell);
        rows.push_back(row);
      } else {
        rows.push_back({});  // blank line keeps row numbering
      }
      row.clear();
      cell.clear();
      any = false;
      ++line;
    } else {
      cell += c;
      any = true;
    }
  }
  if (quoted) data_error(path + ":" + std::to_string(line), "unterminated quoted field");
  if (any || !cell.empty()) {
    row.push_back(cell);
    rows.push_back(row);
  }
  return rows;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

double number(const std::string& cell, const std::string& where, const std::string& field) {
  std::string t = trim(cell);
  double v = 0;
  if (!parse_double(t, v)) data_error(where, "field '" + field + "': '" + t + "' is not a number");
  if (!std::isfinite(v)) data_error(where, "field '" + field + "': " + t + " is not a finite number");
  return v;
}

void put(MetricTable& t, const std::string& ds, const std::string& metric, double v, const std::string& where) {
  if (std::find(t.datasets.begin(), t.datasets.end(), ds) == t.datasets.end()) t.datasets.push_back(ds);
  if (std::find(t.metrics.begin(), t.metrics.end(), metric) == t.metrics.end()) t.metrics.push_back(metric);
  auto& m = t.values[ds];
  if (m.count(metric)) data_error(where, "dataset '" + ds + "' has metric '" + metric + "' twice");
  m[metric] = v;
}

}  // namespace

namespace {
void metrics_from_report(const nlohmann::json& j, const std::string& path, MetricTable& t);
void csv_metrics(const std::string& text, const std::string& path, MetricTable& t);
}  // namespace

void load_metrics_file(const std::string& path, MetricTable& t) {
  std::string text = read_file(path);
  t.sources.push_back(path);
  size_t first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (first != std::string::npos && text[first] == '{') {
    const nlohmann::json j = parse_json_text(text, path, ErrorKind::data);
    json_guard(path, ErrorKind::data, [&] { metrics_from_report(j, path, t); });
    return;
  }
  csv_metrics(text, path, t);
}

namespace {
void metrics_from_report(const nlohmann::json& j, const std::string& path, MetricTable& t) {
  {
    if (!j.contains("datasets") || !j["datasets"].is_array())
      data_error(path, "not an rsq report (no 'datasets' array); expected rsq score --format json output or a CSV");
    for (size_t i = 0; i < j["datasets"].size(); ++i) {
      const auto& d = j["datasets"][i];
      std::string ds = dataset_stem(d.value("input", "dataset" + std::to_string(i + 1)));
      if (!d.contains("metrics") || !d["metrics"].is_object()) data_error(path, "datasets[" + std::to_string(i) + "] has no 'metrics'");
      for (auto it = d["metrics"].begin(); it != d["metrics"].end(); ++it)
        if (it.value().contains("mean") && it.value()["mean"].is_number())
          put(t, ds, it.key(), it.value()["mean"].get<double>(), path + ": datasets[" + std::to_string(i) + "]");
      if (d.contains("imported") && d["imported"].is_object())
        for (auto it = d["imported"].begin(); it != d["imported"].end(); ++it)
          if (it.value().is_number()) put(t, ds, it.key(), it.value().get<double>(), path);
    }
  }
}

void csv_metrics(const std::string& text, const std::string& path, MetricTable& t) {
  auto rows = parse_csv(text, path);
  if (rows.empty() || rows[0].empty() || trim(rows[0][0]) != "dataset")
    data_error(path + ":1", "expected a header 'dataset,<metric>,<metric>,...'");
  const auto& header = rows[0];
  if (header.size() < 2) data_error(path + ":1", "the header names no metric column");
  for (size_t r = 1; r < rows.size(); ++r) {
    if (rows[r].empty()) continue;
    std::string where = path + ":" + std::to_string(r + 1);
    if (rows[r].size() != header.size())
      data_error(where, "expected " + std::to_string(header.size()) + " fields, found " + std::to_string(rows[r].size()));
    std::string ds = trim(rows[r][0]);
    if (ds.empty()) data_error(where, "field 'dataset' is empty");
    for (size_t c = 1; c < header.size(); ++c) {
      std::string cell = trim(rows[r][c]);
      if (cell.empty()) continue;  // a metric not measured for this dataset
      put(t, ds, trim(header[c]), number(cell, where, trim(header[c])), where);
    }
  }
}
}  // namespace

void rename_dataset(MetricTable& t, const std::string& from, const std::string& to) {
  auto it = std::find(t.datasets.begin(), t.datasets.end(), from);
  if (it == t.datasets.end()) throw Error(ErrorKind::usage, "--rename: no dataset named '" + from + "' in the metrics");
  if (from == to) return;
  if (t.values.count(to)) throw Error(ErrorKind::usage, "--rename: a dataset named '" + to + "' already exists");
  *it = to;
  t.values[to] = std::move(t.values[from]);
  t.values.erase(from);
}

std::vector<ResultRow> load_results_file(const std::string& path) {
  auto rows = parse_csv(read_file(path), path);
  if (rows.empty()) data_error(path, "empty results file");
  std::map<std::string, size_t> col;
  for (size_t c = 0; c < rows[0].size(); ++c) col[trim(rows[0][c])] = c;
  for (const char* need : {"dataset", "model", "benchmark", "score"})
    if (!col.count(need)) data_error(path + ":1", std::string("header has no '") + need + "' column (expected dataset,model,benchmark,score[,base])");
  bool has_base = col.count("base") > 0;
  std::vector<ResultRow> out;
  std::set<std::string> seen;
  for (size_t r = 1; r < rows.size(); ++r) {
    if (rows[r].empty()) continue;
    std::string where = path + ":" + std::to_string(r + 1);
    if (rows[r].size() != rows[0].size())
      data_error(where, "expected " + std::to_string(rows[0].size()) + " fields, found " + std::to_string(rows[r].size()));
    ResultRow x;
    x.row = r + 1;
    x.dataset = trim(rows[r][col["dataset"]]);
    x.model = trim(rows[r][col["model"]]);
    x.benchmark = trim(rows[r][col["benchmark"]]);
    for (auto* f : {&x.dataset, &x.model, &x.benchmark})
      if (f->empty()) data_error(where, "empty dataset, model or benchmark field");
    x.score = number(rows[r][col["score"]], where, "score");
    if (has_base && !trim(rows[r][col["base"]]).empty()) {
      x.base = number(rows[r][col["base"]], where, "base");
      if (*x.base == 0) data_error(where, "field 'base' is 0: the relative gain (score - base) / base is undefined");
    }
    std::string key = x.dataset + "\x1f" + x.model + "\x1f" + x.benchmark;
    if (!seen.insert(key).second)
      data_error(where, "duplicate row for dataset '" + x.dataset + "', model '" + x.model + "', benchmark '" + x.benchmark + "'");
    out.push_back(x);
  }
  if (out.empty()) data_error(path, "no result rows");
  return out;
}

CorrelationReport correlate(const MetricTable& t, const std::vector<ResultRow>& results) {
  CorrelationReport rep;
  auto add_unique = [](std::vector<std::string>& v, const std::string& s) {
    if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
  };
  std::set<std::string> missing;
  for (const auto& r : results) {
    add_unique(rep.models, r.model);
    add_unique(rep.benchmarks, r.benchmark);
    if (!t.values.count(r.dataset)) missing.insert(r.dataset);
  }
  for (const auto& d : missing) rep.excluded.push_back(d + ": in the results but has no metric values");
  std::set<std::string> in_results;
  for (const auto& r : results) in_results.insert(r.dataset);
  for (const auto& d : t.datasets)
    if (!in_results.count(d)) rep.excluded.push_back(d + ": has metric values but no results");
  rep.metrics = t.metrics;

  for (const auto& model : rep.models) {
    std::map<std::string, std::pair<double, size_t>> avg;  // metric -> sum rho, count
    for (const auto& bench : rep.benchmarks) {
      std::vector<const ResultRow*> rows;
      for (const auto& r : results)
        if (r.model == model && r.benchmark == bench && t.values.count(r.dataset)) rows.push_back(&r);
      if (rows.empty()) continue;
      bool relative = std::all_of(rows.begin(), rows.end(), [](const ResultRow* r) { return r->base.has_value(); });
      for (const auto& metric : t.metrics) {
        std::vector<double> x, y;
        for (const auto* r : rows) {
          auto it = t.values.at(r->dataset).find(metric);
          if (it == t.values.at(r->dataset).end()) continue;
          x.push_back(it->second);
          y.push_back(relative ? (r->score - *r->base) / *r->base : r->score);
        }
        if (x.size() < 3)
          throw Error(ErrorKind::data, "model '" + model + "', benchmark '" + bench + "', metric '" + metric + "': " +
                                           std::to_string(x.size()) + " dataset(s) with both a metric value and a result; a correlation needs at least 3");
        CorrelationCell c;
        c.model = model;
        c.benchmark = bench;
        c.metric = metric;
        c.n = x.size();
        c.relative = relative;
        c.spearman = spearman(x, y);
        c.pearson = pearson(x, y);
        c.kendall = kendall_tau_b(x, y);
        PValue p = spearman_p(x, y);
        c.p_spearman = p.p;
        c.exact = p.exact;
        c.min_p = p.min_attainable;
        rep.cells.push_back(c);
        if (std::isfinite(c.spearman)) {
          avg[metric].first += c.spearman;
          avg[metric].second += 1;
        }
      }
    }
    for (const auto& metric : t.metrics) {
      CorrelationAverage a;
      a.model = model;
      a.metric = metric;
      a.benchmarks = avg[metric].second;
      a.avg_spearman = a.benchmarks ? avg[metric].first / static_cast<double>(a.benchmarks) : std::nan("");
      rep.averages.push_back(a);
    }
  }
  size_t min_n = SIZE_MAX;
  for (const auto& c : rep.cells) min_n = std::min(min_n, c.n);
  if (min_n < 5 && min_n != SIZE_MAX) {
    double mp = 1;
    for (const auto& c : rep.cells)
      if (c.n == min_n && c.exact) mp = std::min(mp, c.min_p);
    char buf[200];
    std::snprintf(buf, sizeof buf,
                  "n = %zu datasets: the smallest attainable two-sided p-value is %.4g, so no coefficient can be significant at 0.05",
                  min_n, mp);
    if (mp < 0.05)
      std::snprintf(buf, sizeof buf, "n = %zu datasets: the smallest attainable two-sided p-value is %.4g", min_n, mp);
    rep.notes.push_back(buf);
  }
  return rep;
}

Profile profile_from_correlation(const CorrelationReport& r, const MetricTable& t, const std::string& model,
                                 std::vector<std::string>* warnings) {
  auto warn = [&](const std::string& w) {
    if (warnings) warnings->push_back(w);
  };
  Profile p;
  p.name = "fitted-" + model;
  p.description = "fitted by rsq correlate from " + std::to_string(t.datasets.size()) + " datasets for model '" + model + "'";
  p.provenance = "weights = mean Spearman rho over " + std::to_string(r.benchmarks.size()) +
                 " benchmarks (in-sample); ranges = observed metric range widened by 10% per side, not below 0 "
                 "where every observed value is >= 0";
  size_t min_n = SIZE_MAX, significant = 0, cells = 0;
  for (const auto& c : r.cells)
    if (c.model == model && std::isfinite(c.spearman)) {
      min_n = std::min(min_n, c.n);
      ++cells;
      significant += std::isfinite(c.p_spearman) && c.p_spearman <= 0.05;
    }
  for (const auto& a : r.averages) {
    if (a.model != model) continue;
    if (!std::isfinite(a.avg_spearman)) {
      warn("--emit-profile: " + a.metric + " left out: no finite correlation");
      continue;
    }
    double lo = INFINITY, hi = -INFINITY;
    for (const auto& [ds, vals] : t.values) {
      auto it = vals.find(a.metric);
      if (it == vals.end() || !std::isfinite(it->second)) continue;
      lo = std::min(lo, it->second);
      hi = std::max(hi, it->second);
    }
    if (!(lo <= hi)) {
      warn("--emit-profile: " + a.metric + " left out: no finite value in the metrics table");
      continue;
    }
    double span = hi - lo;
    if (!(span > 0)) span = std::max(std::fabs(hi), 1e-9);
    ProfileMetric m;
    m.name = a.metric;
    m.weight = std::round(a.avg_spearman * 1000) / 1000;
    // A count, a length or a share cannot be negative: widening must not
    // invent a range below what the metric can take (a byte count at -12).
    m.lo = lo >= 0 ? std::max(0.0, lo - 0.1 * span) : lo - 0.1 * span;
    m.hi = hi + 0.1 * span;
    if (!(m.lo < m.hi) || !std::isfinite(m.lo) || !std::isfinite(m.hi)) {
      warn("--emit-profile: " + a.metric + " left out: its range is empty");
      continue;
    }
    if (m.weight == 0) {
      warn("--emit-profile: " + a.metric + " left out: weight 0 (avg rho rounds to 0)");
      continue;
    }
    m.source = "rsq";
    m.provenance = "avg rho over " + std::to_string(a.benchmarks) + " benchmarks";
    p.metrics.push_back(m);
  }
  if (p.metrics.empty()) throw Error(ErrorKind::data, "--emit-profile: no metric has a usable weight and range");
  if (min_n != SIZE_MAX && min_n < 5)
    warn("--emit-profile: fitted from " + std::to_string(min_n) +
         " datasets, where no coefficient can reach p <= 0.05: the weights are in-sample and indistinguishable "
         "from noise; validate the profile on datasets it was not fitted on");
  else if (cells && significant * 20 <= cells)
    warn("--emit-profile: " + std::to_string(significant) + " of " + std::to_string(cells) +
         " coefficients have p <= 0.05, no more than chance gives: the weights may be noise");
  p.description += "; " + std::to_string(significant) + " of " + std::to_string(cells) + " coefficients with p <= 0.05";
  return p;
}

}  // namespace rsq
