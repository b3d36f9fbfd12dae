// The report as one self-contained HTML file (rsq score --format html, rsq
// report): inline CSS, inline SVG charts, a few lines of vanilla JavaScript
// for sorting and printing; nothing is fetched. It renders from the report's
// JSON (docs/output-schema.md) and nothing else, so a report rendered from
// saved JSON reports (merged shards, CI artefacts) is the same bytes as one
// rendered while scoring. Ranks and the ranking's basis are recomputed from
// the datasets' utilities, because saved reports may come from several runs.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "output/report_text.h"
#include "rsq/emit.h"
#include "rsq/error.h"
#include "rsq/gate.h"
#include "rsq/metrics.h"
#include "rsq/profile.h"

namespace rsq::out {
namespace {

using json = nlohmann::ordered_json;

// Every attribute here is double-quoted, so escape_markup's set is enough.
std::string esc(const std::string& s) { return escape_markup(s); }

// Coordinates in SVG: 2 decimals, never NaN (the browser test fails on one).
std::string px(double x) {
  if (!std::isfinite(x)) x = 0;
  char b[32];
  std::snprintf(b, sizeof b, "%.2f", x);
  std::string s = b;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

double num_of(const json& v) { return v.is_number() ? v.get<double>() : NAN; }

// Okabe & Ito's colour-blind-safe palette (black left out: it is the text).
constexpr const char* kPalette[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"};
constexpr size_t kColors = sizeof kPalette / sizeof kPalette[0];
// Beyond seven series the lines also differ by dash pattern.
constexpr const char* kDash[] = {"", "6 3", "2 2", "8 3 2 3"};

std::string value_cell(double v, const MetricInfo& m, const std::string& dataset, const std::string& metric,
                       const char* stat) {
  return "<td class=\"n\" data-dataset=\"" + esc(dataset) + "\" data-metric=\"" + esc(metric) + "\" data-stat=\"" + stat +
         "\" data-value=\"" + (std::isfinite(v) ? shortest(v) : std::string("null")) + "\">" + esc(fixed(v, m)) + "</td>";
}

const char* kStyle = R"CSS(
:root{--bg:#fff;--fg:#1b1b1b;--muted:#5c5c5c;--grid:#d9d9d9;--panel:#f5f5f5;--link:#0060a0}
@media (prefers-color-scheme:dark){:root{--bg:#161616;--fg:#e8e8e8;--muted:#a8a8a8;--grid:#3a3a3a;--panel:#222;--link:#7cc4ff}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1100px;padding:1.5rem;background:var(--bg);color:var(--fg);
 font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif}
h1{font-size:1.6rem;margin:0 0 .3rem}h2{font-size:1.25rem;margin:2rem 0 .6rem;border-bottom:1px solid var(--grid)}
h3{font-size:1.05rem;margin:1rem 0 .4rem}a{color:var(--link)}
.muted{color:var(--muted)}code,.mono{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,monospace;font-size:.92em}
table{border-collapse:collapse;margin:.4rem 0 1rem;font-variant-numeric:tabular-nums}
th,td{padding:.25rem .6rem;border-bottom:1px solid var(--grid);text-align:left;vertical-align:top}
th{font-weight:600}td.n,th.n{text-align:right}
table.sortable th{cursor:pointer}table.sortable th:hover{text-decoration:underline}
.note{background:var(--panel);border-left:4px solid #E69F00;padding:.5rem .8rem;margin:.6rem 0}
.warn{border-left-color:#D55E00;font-weight:600}
nav a{margin-right:1rem}
details{margin:.3rem 0;border:1px solid var(--grid);border-radius:4px;padding:.3rem .7rem}
summary{cursor:pointer;font-weight:600}
svg text{fill:var(--fg);font-size:11px}svg .axis{stroke:var(--muted)}svg .grid{stroke:var(--grid)}
.legend span{display:inline-block;margin-right:1rem}.sw{display:inline-block;width:.9em;height:.9em;margin-right:.3em;vertical-align:-.1em}
dl.glossary dt{font-weight:600;margin-top:.5rem}dl.glossary dd{margin-left:1.2rem}
@media print{body{max-width:none;padding:0}nav,.noprint{display:none}details{border:none}}
)CSS";

const char* kScript = R"JS(
document.querySelectorAll('table.sortable').forEach(function(t){
  t.querySelectorAll('th').forEach(function(th,i){
    th.addEventListener('click',function(){
      var b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows),asc=th.dataset.dir!=='asc';
      rows.sort(function(x,y){
        var a=x.cells[i],c=y.cells[i],va=a.dataset.value,vc=c.dataset.value;
        var na=parseFloat(va),nc=parseFloat(vc),r;
        if(va!==undefined&&vc!==undefined&&!isNaN(na)&&!isNaN(nc))r=na-nc;else r=a.textContent.localeCompare(c.textContent);
        return asc?r:-r;});
      rows.forEach(function(r){b.appendChild(r);});th.dataset.dir=asc?'asc':'desc';});});});
window.addEventListener('beforeprint',function(){document.querySelectorAll('details').forEach(function(d){d.open=true;});});
)JS";

struct Dataset {
  std::string input;
  const json* j;
  std::optional<Utility> utility;
  // A metric's summary, or an empty object when the report has none (a
  // hand-made report is input: a missing key must not be read through).
  const json& metric(const std::string& name) const {
    static const json kNone = json::object();
    auto m = j->find("metrics");
    if (m == j->end() || !m->is_object()) return kNone;
    auto it = m->find(name);
    return it == m->end() || !it->is_object() ? kNone : *it;
  }
};

Utility utility_of_json(const json& u) {
  Utility x;
  x.profile = u.value("profile", "");
  x.scale = u.value("scale", "");
  x.score = num_of(u.value("score", json()));
  x.coverage = num_of(u.value("coverage", json()));
  if (u.contains("contributions"))
    for (auto it = u["contributions"].begin(); it != u["contributions"].end(); ++it) {
      Contribution c;
      c.weight = num_of(it.value().value("weight", json()));
      c.value = num_of(it.value().value("value", json()));
      c.normalized = num_of(it.value().value("normalized", json()));
      c.contribution = num_of(it.value().value("contribution", json()));
      c.measured = it.value().value("measured", false);
      c.imported = it.value().value("imported", false);
      x.contributions[it.key()] = c;
    }
  return x;
}

// The ECDF of one metric for every dataset, from the report's `ecdf`
// (values at q = 0, 0.05, ..., 1).
std::string ecdf_chart(const std::string& metric, const MetricInfo& m, const std::vector<Dataset>& ds) {
  double lo = INFINITY, hi = -INFINITY;
  for (const auto& d : ds) {
    const json& e = d.metric(metric).value("ecdf", json::array());
    for (const auto& v : e)
      if (v.is_number()) {
        lo = std::min(lo, v.get<double>());
        hi = std::max(hi, v.get<double>());
      }
  }
  if (!(lo <= hi)) return "<p class=\"muted\">No values to plot.</p>";
  if (hi - lo < 1e-12) {
    const double pad = std::max(std::fabs(lo) * 0.05, 0.5);
    lo -= pad;
    hi += pad;
  }
  const double W = 640, H = 220, L = 56, R = 36, T = 10, B = 40;
  auto X = [&](double v) { return L + (v - lo) / (hi - lo) * (W - L - R); };
  auto Y = [&](double q) { return T + (1 - q) * (H - T - B); };
  std::string alt = "Cumulative distribution of " + metric + " (" + std::string(m.unit) + ") per dataset: ";
  for (size_t k = 0; k < ds.size(); ++k) {
    const json& mm = ds[k].metric(metric);
    alt += (k ? "; " : "") + ds[k].input + " median " + fixed(num_of(mm.value("p50", json())), m) + ", 10-90% " +
           fixed(num_of(mm.value("p10", json())), m) + " to " + fixed(num_of(mm.value("p90", json())), m);
  }
  std::string o = "<svg class=\"chart ecdf\" data-metric=\"" + esc(metric) + "\" viewBox=\"0 0 " + px(W) + " " + px(H) +
                  "\" width=\"" + px(W) + "\" height=\"" + px(H) + "\" role=\"img\" aria-label=\"" + esc(alt) +
                  "\"><title>" + esc(alt) + "</title>";
  for (double q : {0.0, 0.25, 0.5, 0.75, 1.0}) {
    o += "<line class=\"grid\" x1=\"" + px(L) + "\" x2=\"" + px(W - R) + "\" y1=\"" + px(Y(q)) + "\" y2=\"" + px(Y(q)) + "\"/>";
    o += "<text x=\"" + px(L - 6) + "\" y=\"" + px(Y(q) + 4) + "\" text-anchor=\"end\">" + px(q) + "</text>";
  }
  for (int k = 0; k <= 4; ++k) {
    const double v = lo + (hi - lo) * k / 4.0;
    o += "<line class=\"axis\" x1=\"" + px(X(v)) + "\" x2=\"" + px(X(v)) + "\" y1=\"" + px(H - B) + "\" y2=\"" +
         px(H - B + 4) + "\"/>";
    o += "<text x=\"" + px(X(v)) + "\" y=\"" + px(H - B + 16) + "\" text-anchor=\"middle\">" + esc(fixed(v, m)) + "</text>";
  }
  o += "<line class=\"axis\" x1=\"" + px(L) + "\" x2=\"" + px(W - R) + "\" y1=\"" + px(H - B) + "\" y2=\"" + px(H - B) + "\"/>";
  o += "<text x=\"" + px((L + W - R) / 2) + "\" y=\"" + px(H - 4) + "\" text-anchor=\"middle\">" + esc(metric) + " (" +
       esc(std::string(m.unit)) + ")</text>";
  o += "<text transform=\"translate(12 " + px((T + H - B) / 2) + ") rotate(-90)\" text-anchor=\"middle\">share of records &#8804; x</text>";
  for (size_t k = 0; k < ds.size(); ++k) {
    const json& e = ds[k].metric(metric).value("ecdf", json::array());
    std::string pts;
    for (size_t i = 0; i < e.size(); ++i)
      if (e[i].is_number())
        pts += (pts.empty() ? "" : " ") + px(X(e[i].get<double>())) + "," + px(Y(static_cast<double>(i) / (e.size() - 1)));
    if (pts.empty()) continue;
    o += "<polyline class=\"series\" data-dataset=\"" + esc(ds[k].input) + "\" fill=\"none\" stroke=\"" +
         kPalette[k % kColors] + "\" stroke-width=\"2\"" +
         (k >= kColors ? std::string(" stroke-dasharray=\"") + kDash[(k / kColors) % 4] + "\"" : "") + " points=\"" + pts +
         "\"><title>" + esc(ds[k].input) + "</title></polyline>";
  }
  return o + "</svg>";
}

std::string legend(const std::vector<Dataset>& ds) {
  std::string o = "<p class=\"legend\">";
  for (size_t k = 0; k < ds.size(); ++k)
    o += "<span><i class=\"sw\" style=\"background:" + std::string(kPalette[k % kColors]) + "\"></i>" + esc(ds[k].input) +
         (k >= kColors ? std::string(" (dashed)") : "") + "</span>";
  return o + "</p>";
}

// A horizontal bar, 0..1 of `w` pixels, for a table cell.
std::string bar(double share, const char* color, const std::string& label, double w) {
  const double v = std::isfinite(share) ? std::clamp(share, 0.0, 1.0) : 0.0;
  return "<svg class=\"bar\" width=\"" + px(w) + "\" height=\"12\" role=\"img\" aria-label=\"" + esc(label) + "\"><rect x=\"0\" y=\"1\" width=\"" +
         px(w) + "\" height=\"10\" fill=\"none\" class=\"grid\" stroke-width=\"1\"/><rect x=\"0\" y=\"1\" width=\"" +
         px(v * w) + "\" height=\"10\" fill=\"" + color + "\"/></svg>";
}

}  // namespace

std::string emit_html(const nlohmann::ordered_json& j) {
  if (!j.is_object() || !j.contains("datasets") || !j["datasets"].is_array())
    throw Error(ErrorKind::data, "not an rsq score JSON report");
  std::vector<Dataset> ds;
  for (const auto& d : j["datasets"]) {
    Dataset x{d.value("input", ""), &d, std::nullopt};
    if (d.contains("utility") && d["utility"].is_object()) x.utility = utility_of_json(d["utility"]);
    ds.push_back(std::move(x));
  }
  const json defs = j.value("metric_definitions", json::object());
  std::string o;
  o += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
       "script-src 'unsafe-inline'; img-src data:\">\n<title>rsq report: ";
  for (size_t k = 0; k < ds.size(); ++k) o += (k ? ", " : "") + esc(ds[k].input);
  o += "</title>\n<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n<header>\n<h1>" +
       std::string(j.contains("gate") ? "rsq gate report" : "rsq report") + "</h1>\n";
  o += "<p class=\"muted\">rsq " + esc(j.value("rsq_version", "")) + " &middot; report schema " +
       std::to_string(j.value("schema_version", 0)) + " &middot; " + std::to_string(ds.size()) +
       (ds.size() == 1 ? " input" : " inputs") +
       " &middot; no date: the same inputs and version give the same bytes</p>\n";
  o += std::string("<nav class=\"noprint\">") + (j.contains("gate") ? "<a href=\"#gate\">Gate</a>" : "") + "<a href=\"#ranking\">Ranking</a><a href=\"#inputs\">Inputs</a><a href=\"#flags\">Flags</a>"
       "<a href=\"#metrics\">Metrics</a><a href=\"#glossary\">Glossary</a></nav>\n";
  // Settings.
  o += "<details><summary>Settings</summary><table class=\"settings\"><tbody>";
  const json settings = j.value("settings", json::object());
  for (auto it = settings.begin(); it != settings.end(); ++it) {
    const std::string v = it.value().is_string() ? it.value().get<std::string>() : it.value().dump();
    o += "<tr><th>" + esc(it.key()) + "</th><td class=\"mono\">" + esc(v) + "</td></tr>";
  }
  o += "</tbody></table></details>\n</header>\n";

  // The gate's verdict first, when the report was made by rsq gate.
  if (j.contains("gate") && j["gate"].is_object()) {
    const json& g = j["gate"];
    const size_t n = g.value("results", json::array()).size(), failed = g.value("failed", size_t{0});
    o += "<section id=\"gate\">\n<h2>Gate</h2>\n<p class=\"note" + std::string(failed ? " warn" : "") + "\" data-stat=\"gate\">" +
         (failed ? "FAILED" : "passed") + ": " + std::to_string(n - failed) + " of " + std::to_string(n) + " rules passed for " +
         esc(g.value("input", "")) + "</p>\n<table class=\"sortable gate\"><thead><tr><th></th><th>rule</th><th>metric</th>"
         "<th class=\"n\">value</th><th class=\"n\">baseline</th><th>required</th><th>detail</th></tr></thead><tbody>\n";
    for (const auto& r : g.value("results", json::array())) {
      const double v = num_of(r.value("value", json())), bv = num_of(r.value("baseline", json()));
      const bool pass = r.value("passed", false);
      o += std::string("<tr class=\"") + (pass ? "pass" : "fail") + "\"><td>" + (pass ? "pass" : "<strong>FAIL</strong>") +
           "</td><td>" + esc(r.value("name", "")) + "</td><td>" + esc(r.value("metric", "")) + " " + esc(r.value("stat", "")) +
           "</td><td class=\"n\" data-value=\"" + (std::isfinite(v) ? shortest(v) : "null") + "\">" +
           (std::isfinite(v) ? esc(shortest(v)) : "-") + "</td><td class=\"n\">" + (std::isfinite(bv) ? esc(shortest(bv)) : "-") +
           "</td><td>" + esc(r.value("condition", "")) + "</td><td>" + esc(r.value("detail", "")) + "</td></tr>\n";
    }
    o += "</tbody></table>\n</section>\n";
  }

  // Ranking: recomputed from the utilities (several saved reports may be
  // shown together), with its basis and the contributions drawn.
  o += "<section id=\"ranking\">\n<h2>Ranking</h2>\n";
  std::vector<Utility*> us;
  for (auto& d : ds)
    if (d.utility) us.push_back(&*d.utility);
  if (us.empty()) {
    o += "<p class=\"muted\">No utility: score with <code>--scale</code> or <code>--profile</code> to rank the inputs.</p>\n";
  } else {
    rank_utilities(us);
    std::vector<const Utility*> cu(us.begin(), us.end());
    const RankingBasis basis = ranking_basis(cu);
    for (const auto& line : ranking_basis_text(basis)) {
      std::string t = line;
      for (char& c : t)
        if (c == kBind) c = ' ';
      o += std::string("<p class=\"note") + (basis.comparable ? "" : " warn") + "\">" + esc(t) + "</p>\n";
    }
    std::vector<const Dataset*> order;
    for (const auto& d : ds)
      if (d.utility) order.push_back(&d);
    std::stable_sort(order.begin(), order.end(),
                     [](const Dataset* a, const Dataset* b) { return a->utility->rank < b->utility->rank; });
    // Metric colours: the profile's metrics in order.
    // Colours go to the metrics measured for some input, in the profile's
    // order, so that a colour is never shared within a chart.
    std::vector<std::string> pm;
    for (const auto& [name, c] : order[0]->utility->contributions) {
      bool any = false;
      for (const auto* d : order) {
        auto it = d->utility->contributions.find(name);
        any |= it != d->utility->contributions.end() && it->second.measured;
      }
      if (any) pm.push_back(name);
    }
    o += "<table class=\"sortable ranking\"><thead><tr><th class=\"n\">rank</th><th>input</th><th class=\"n\">utility</th>"
         "<th class=\"n\">coverage</th><th>profile</th><th>contributions (sum = utility, 0&#8211;100)</th></tr></thead><tbody>\n";
    for (const auto* d : order) {
      const Utility& u = *d->utility;
      o += "<tr data-dataset=\"" + esc(d->input) + "\"><td class=\"n\" data-value=\"" + std::to_string(u.rank) + "\">" +
           std::to_string(u.rank) + "</td><td>" + esc(d->input) + "</td><td class=\"n\" data-stat=\"utility\" data-value=\"" +
           (std::isfinite(u.score) ? shortest(u.score) : "null") + "\">" + esc(score1(u.score)) +
           "</td><td class=\"n\" data-stat=\"coverage\" data-value=\"" + shortest(u.coverage) + "\">" +
           pct(static_cast<uint64_t>(std::llround(u.coverage * 1000)), 1000) + "</td><td>" + esc(u.profile) + "</td><td>";
      const double W = 300;
      std::string alt = "contributions to " + score1(u.score) + ":";
      std::string rects;
      double x = 0;
      for (size_t k = 0; k < pm.size(); ++k) {
        auto it = u.contributions.find(pm[k]);
        if (it == u.contributions.end() || !it->second.measured || !std::isfinite(it->second.contribution)) continue;
        const double w = std::max(0.0, it->second.contribution) / 100 * W;
        rects += "<rect class=\"contribution\" data-metric=\"" + esc(pm[k]) + "\" x=\"" + px(x) + "\" y=\"1\" width=\"" +
                 px(w) + "\" height=\"14\" fill=\"" + kPalette[k % kColors] + "\"><title>" + esc(pm[k]) + ": " +
                 esc(score1(it->second.contribution)) + "</title></rect>";
        alt += " " + pm[k] + " " + score1(it->second.contribution);
        x += w;
      }
      o += "<svg class=\"chart contributions\" width=\"" + px(W) + "\" height=\"16\" role=\"img\" aria-label=\"" + esc(alt) +
           "\"><rect x=\"0\" y=\"1\" width=\"" + px(W) + "\" height=\"14\" fill=\"none\" class=\"grid\"/>" + rects + "</svg></td></tr>\n";
    }
    o += "</tbody></table>\n<p class=\"legend\">";
    for (size_t k = 0; k < pm.size(); ++k)
      o += "<span><i class=\"sw\" style=\"background:" + std::string(kPalette[k % kColors]) + "\"></i>" + esc(pm[k]) + "</span>";
    o += "</p>\n<details><summary>The arithmetic (--explain)</summary>\n<p>score = sum of contributions = 100 &#183; "
         "&#931;(|w| &#183; n&#8242;) / &#931;(measured |w|); n&#8242; = n for w &gt; 0, 1 &#8722; n for w &lt; 0; n = the "
         "value clamped into the profile's range and scaled to 0&#8211;1.</p>\n";
    for (const auto* d : order) {
      o += "<h3>" + esc(d->input) + "</h3><table><thead><tr><th>metric</th><th class=\"n\">value</th><th class=\"n\">"
           "normalized</th><th class=\"n\">weight</th><th class=\"n\">contribution</th><th></th></tr></thead><tbody>";
      for (const auto& [name, c] : d->utility->contributions) {
        o += "<tr><td>" + esc(name) + "</td>";
        if (c.measured) {
          char b[160];
          std::snprintf(b, sizeof b, "<td class=\"n\">%.4f</td><td class=\"n\">%.4f</td><td class=\"n\">%.3f</td><td class=\"n\">%.2f</td>",
                        c.value, c.normalized, c.weight, c.contribution);
          o += b;
          o += c.imported ? "<td>imported</td>" : "<td></td>";
        } else {
          char b[96];
          std::snprintf(b, sizeof b, "<td class=\"n\">-</td><td class=\"n\">-</td><td class=\"n\">%.3f</td><td class=\"n\">-</td>", c.weight);
          o += b;
          o += "<td>not measured</td>";
        }
        o += "</tr>";
      }
      o += "</tbody></table>\n";
    }
    o += "</details>\n";
  }
  o += "</section>\n";

  // Inputs: counts, layouts, trace states, diagnostics, notes.
  const bool many = ds.size() > 6;  // long tables collapse
  o += "<section id=\"inputs\">\n<h2>Inputs</h2>\n" + std::string(many ? "<details><summary>Counts and layouts of " +
       std::to_string(ds.size()) + " inputs</summary>" : "") + "<table class=\"sortable inputs\"><thead><tr><th>input</th><th>framing</th>"
       "<th class=\"n\">records</th><th class=\"n\">scored</th><th class=\"n\">skipped</th><th class=\"n\">rejected</th>"
       "<th>layouts</th></tr></thead><tbody>\n";
  auto counts_text = [](const json& m) {
    std::string s;
    if (m.is_object())
      for (auto it = m.begin(); it != m.end(); ++it)
        s += (s.empty() ? "" : ", ") + it.key() + " " + std::to_string(it.value().get<uint64_t>());
    return s;
  };
  auto sum = [](const json& m) {
    uint64_t n = 0;
    if (m.is_object())
      for (auto it = m.begin(); it != m.end(); ++it) n += it.value().get<uint64_t>();
    return n;
  };
  for (const auto& d : ds) {
    const json& x = *d.j;
    const std::string comp = x.value("compression", "none");
    o += "<tr data-dataset=\"" + esc(d.input) + "\"><td>" + esc(d.input) + "</td><td>" + esc(x.value("framing", "")) +
         (comp != "none" ? ", " + esc(comp) : "") + "</td>";
    for (const char* k : {"lines", "scored"}) {
      const uint64_t v = x.value(k, uint64_t{0});
      o += "<td class=\"n\" data-stat=\"" + std::string(k) + "\" data-value=\"" + std::to_string(v) + "\">" + std::to_string(v) + "</td>";
    }
    for (const char* k : {"skipped", "rejected"}) {
      const uint64_t v = sum(x.value(k, json::object()));
      o += "<td class=\"n\" data-stat=\"" + std::string(k) + "\" data-value=\"" + std::to_string(v) + "\" title=\"" +
           esc(counts_text(x.value(k, json::object()))) + "\">" + std::to_string(v) + "</td>";
    }
    o += "<td>" + esc(counts_text(x.value("layouts", json::object()))) + "</td></tr>\n";
  }
  o += "</tbody></table>\n" + std::string(many ? "</details>\n" : "");
  // Trace states as stacked bars.
  std::set<std::string> states;
  for (const auto& d : ds) {
    const json st = (*d.j).value("trace_states", json::object());
    for (auto it = st.begin(); it != st.end(); ++it) states.insert(it.key());
  }
  if (!states.empty()) {
    o += "<h3>Trace states</h3>\n" + std::string(many ? "<details><summary>Trace states of " + std::to_string(ds.size()) +
         " inputs</summary>" : "") + "<table class=\"states\"><thead><tr><th>input</th><th>records by how the trace was "
         "delimited</th></tr></thead><tbody>\n";
    for (const auto& d : ds) {
      const json st = (*d.j).value("trace_states", json::object());
      const double total = static_cast<double>(sum(st));
      const double W = 360;
      double x = 0;
      std::string rects, alt = "trace states:";
      size_t k = 0;
      for (const auto& s : states) {
        const uint64_t n = st.value(s, uint64_t{0});
        const double w = total > 0 ? static_cast<double>(n) / total * W : 0;
        if (n) {
          rects += "<rect data-state=\"" + esc(s) + "\" x=\"" + px(x) + "\" y=\"1\" width=\"" + px(w) +
                   "\" height=\"14\" fill=\"" + kPalette[k % kColors] + "\"><title>" + esc(s) + ": " + std::to_string(n) +
                   "</title></rect>";
          alt += " " + s + " " + std::to_string(n);
        }
        x += w;
        ++k;
      }
      o += "<tr><td>" + esc(d.input) + "</td><td><svg class=\"chart states\" width=\"" + px(W) +
           "\" height=\"16\" role=\"img\" aria-label=\"" + esc(alt) + "\">" + rects + "</svg> <span class=\"muted\">" +
           esc(counts_text(st)) + "</span></td></tr>\n";
    }
    o += "</tbody></table>\n<p class=\"legend\">";
    size_t k = 0;
    for (const auto& s : states)
      o += "<span><i class=\"sw\" style=\"background:" + std::string(kPalette[k++ % kColors]) + "\"></i>" + esc(s) + "</span>";
    o += "</p>\n" + std::string(many ? "</details>\n" : "");
  }
  for (const auto& d : ds) {
    const json& x = *d.j;
    const json rej = x.value("rejected", json::object()), skip = x.value("skipped", json::object());
    std::vector<std::string> lines;
    for (const auto& n : x.value("notes", json::array())) lines.push_back("note: " + n.get<std::string>());
    for (const auto& e : x.value("input_errors", json::array())) lines.push_back("input error: " + e.get<std::string>());
    if (!rej.empty()) lines.push_back("rejected records by diagnostic code: " + counts_text(rej));
    if (!skip.empty()) lines.push_back("skipped records by reason: " + counts_text(skip));
    if (x.contains("model_failures")) lines.push_back("model failures by code: " + counts_text(x["model_failures"]));
    if (lines.empty()) continue;
    o += "<h3>" + esc(d.input) + "</h3>\n";
    for (const auto& l : lines) o += "<p class=\"note\">" + esc(l) + "</p>\n";
  }
  o += "</section>\n";

  // Flags: rates as bars.
  auto metrics = all_metrics();
  auto def_of = [&](const std::string& name) -> const MetricInfo* {
    for (const auto& m : metrics)
      if (m.name == name) return &m;
    return nullptr;
  };
  // Up to four inputs, a column per input; beyond, a row per input and a
  // column per flag, so that 20 inputs do not make 20 columns.
  std::vector<std::string> flags;
  for (auto it = defs.begin(); it != defs.end(); ++it)
    if (it.value().value("kind", "") == "flag" && def_of(it.key())) flags.push_back(it.key());
  auto flag_cell = [&](size_t k, const std::string& f, double width) {
    const json& mm = ds[k].metric(f);
    const double rate = num_of(mm.value("mean", json()));
    const uint64_t count = mm.value("count", uint64_t{0});
    const uint64_t hits = std::isfinite(rate) ? static_cast<uint64_t>(std::llround(rate * static_cast<double>(count))) : 0;
    return "<td data-dataset=\"" + esc(ds[k].input) + "\" data-metric=\"" + esc(f) + "\" data-stat=\"mean\" data-value=\"" +
           (std::isfinite(rate) ? shortest(rate) : "null") + "\">" + bar(rate, kPalette[k % kColors], f + " " + pct(hits, count), width) +
           " " + esc(pct(hits, count)) + " <span class=\"muted\">(" + std::to_string(hits) + ")</span></td>";
  };
  o += "<section id=\"flags\">\n<h2>Flags</h2>\n" + std::string(ds.size() > 6 ? "<details><summary>Flag rates of " +
       std::to_string(ds.size()) + " inputs</summary>" : "") + "<table class=\"flags\"><thead><tr>";
  if (ds.size() <= 4) {
    o += "<th>flag</th>";
    for (size_t k = 0; k < ds.size(); ++k) o += "<th>" + esc(ds[k].input) + "</th>";
    o += "</tr></thead><tbody>\n";
    for (const auto& f : flags) {
      o += "<tr><td><a href=\"#g-" + esc(f) + "\">" + esc(f) + "</a></td>";
      for (size_t k = 0; k < ds.size(); ++k) o += flag_cell(k, f, 120);
      o += "</tr>\n";
    }
  } else {
    o += "<th>input</th>";
    for (const auto& f : flags) o += "<th><a href=\"#g-" + esc(f) + "\">" + esc(f) + "</a></th>";
    o += "</tr></thead><tbody>\n";
    for (size_t k = 0; k < ds.size(); ++k) {
      o += "<tr><td>" + esc(ds[k].input) + "</td>";
      for (const auto& f : flags) o += flag_cell(k, f, 40);
      o += "</tr>\n";
    }
  }
  o += "</tbody></table>\n" + std::string(ds.size() > 6 ? "</details>\n" : "") + "</section>\n";

  // Metrics: one collapsible block per metric, ECDFs overlaid.
  o += "<section id=\"metrics\">\n<h2>Metrics</h2>\n<p class=\"muted\">Each chart is the cumulative distribution "
       "(ECDF) of a metric over the records, one line per input, drawn from the report's 21 quantiles (q = 0, 0.05, "
       "&#8230;, 1; exact at the ends, within about 1&#160;% between).</p>\n" + legend(ds);
  size_t shown = 0;
  for (auto it = defs.begin(); it != defs.end(); ++it) {
    if (it.value().value("kind", "") == "flag") continue;
    const MetricInfo* m = def_of(it.key());
    if (!m) continue;
    const std::string& name = it.key();
    o += "<details class=\"metric\" id=\"m-" + esc(name) + "\"" + (shown++ < 6 ? " open" : "") + "><summary>" + esc(name) +
         " <span class=\"muted\">(" + esc(std::string(m->unit)) + ", " + esc(std::string(m->segment)) + ")</span></summary>\n";
    o += ecdf_chart(name, *m, ds);
    o += "\n<table class=\"sortable stats\"><thead><tr><th>input</th><th class=\"n\">count</th><th class=\"n\">mean</th>"
         "<th class=\"n\">p10</th><th class=\"n\">p50</th><th class=\"n\">p90</th><th class=\"n\">max</th></tr></thead><tbody>";
    for (const auto& d : ds) {
      const json& mm = d.metric(name);
      o += "<tr><td>" + esc(d.input) + "</td><td class=\"n\" data-dataset=\"" + esc(d.input) + "\" data-metric=\"" +
           esc(name) + "\" data-stat=\"count\" data-value=\"" + std::to_string(mm.value("count", uint64_t{0})) + "\">" +
           std::to_string(mm.value("count", uint64_t{0})) + "</td>";
      for (const char* st : {"mean", "p10", "p50", "p90", "max"})
        o += value_cell(num_of(mm.value(st, json())), *m, d.input, name, st);
      o += "</tr>";
    }
    o += "</tbody></table>\n<p><a href=\"#g-" + esc(name) + "\">definition</a></p>\n</details>\n";
  }
  o += "</section>\n";

  // Glossary.
  o += "<section id=\"glossary\">\n<h2>Glossary</h2>\n<p class=\"muted\">One line per metric; the full definition "
       "(formula, segment, unit, version) is in rsq's <code>docs/metrics.md</code> under the metric's name.</p>\n"
       "<dl class=\"glossary\">\n";
  for (auto it = defs.begin(); it != defs.end(); ++it) {
    const MetricInfo* m = def_of(it.key());
    if (!m) continue;
    o += "<dt id=\"g-" + esc(it.key()) + "\">" + esc(it.key()) + "</dt><dd>" + esc(std::string(m->summary)) +
         " <span class=\"muted\">&#8212; " + esc(std::string(m->segment)) + ", " + esc(std::string(m->unit)) +
         ", group " + esc(std::string(m->group)) + ", version " + std::to_string(it.value().value("version", 0)) +
         "</span></dd>\n";
  }
  o += "</dl>\n</section>\n<script>" + std::string(kScript) + "</script>\n</body>\n</html>\n";
  return o;
}

}  // namespace rsq::out

namespace rsq {

std::string emit_gate_html(const Report& r, const GateResult& g) {
  nlohmann::ordered_json j = report_to_json(r, false);
  nlohmann::ordered_json rs = nlohmann::ordered_json::array();
  for (const auto& x : g.results) {
    nlohmann::ordered_json o = {{"name", x.name},     {"metric", x.metric}, {"stat", x.stat},
                                {"passed", x.passed}, {"value", std::isfinite(x.value) ? nlohmann::ordered_json(x.value) : nullptr}};
    o["baseline"] = x.baseline && std::isfinite(*x.baseline) ? nlohmann::ordered_json(*x.baseline) : nullptr;
    o["condition"] = x.condition;
    o["detail"] = x.detail;
    rs.push_back(o);
  }
  j["gate"] = {{"input", g.input}, {"failed", g.failed}, {"results", rs}};
  return out::emit_html(j);
}

std::string html_report_from_files(const std::vector<std::string>& paths) {
  using json = nlohmann::ordered_json;
  if (paths.empty()) throw Error(ErrorKind::usage, "rsq report: no report given");
  json all;
  for (const auto& p : paths) {
    const std::string text = read_file(p);
    const nlohmann::json in = parse_json_text(text, p, ErrorKind::data);  // errors with line:column
    if (!in.is_object() || !in.contains("datasets") || !in["datasets"].is_array() || !in.contains("schema_version"))
      throw Error(ErrorKind::data, p + ": not an rsq score JSON report");
    if (in["schema_version"] != kSchemaVersion)
      throw Error(ErrorKind::data, p + ": schema_version " + in["schema_version"].dump() + " (this rsq reads " +
                                       std::to_string(kSchemaVersion) + "); re-score with this rsq");
    json j = json::parse(text);  // again, ordered: the key order of the file is the order shown
    if (all.is_null()) {
      all["rsq_version"] = j.value("rsq_version", "");
      all["schema_version"] = kSchemaVersion;
      all["settings"] = j.value("settings", json::object());
      all["metric_definitions"] = j.value("metric_definitions", json::object());
      all["datasets"] = json::array();
    } else {
      for (const char* k : {"rsq_version", "settings", "metric_definitions"})
        if (j.value(k, json()) != all[k])
          throw Error(ErrorKind::usage, p + ": its " + std::string(k) + " differ from " + paths[0] +
                                            "'s; reports side by side must come from the same rsq and settings");
    }
    for (auto& d : j["datasets"]) {
      if (!d.is_object() || !d.contains("metrics") || !d["metrics"].is_object())
        throw Error(ErrorKind::data, p + ": a dataset without a metrics object; not an rsq score JSON report");
      for (auto& [name, m] : d["metrics"].items())
        if (m.is_object()) m.erase("state");
      all["datasets"].push_back(d);
    }
  }
  try {
    return out::emit_html(all);
  } catch (const nlohmann::json::exception& e) {
    // A value of the wrong type in a hand-made report: bad data, not a bug.
    rethrow_json_error(e, paths.size() == 1 ? paths[0] : "the reports", ErrorKind::data);
  }
}

}  // namespace rsq
