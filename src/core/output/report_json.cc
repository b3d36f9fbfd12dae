// Report → JSON (schema in docs/output-schema.md). Key names here are a
// public interface: scripts and CI jobs depend on them, so they change only
// with schema_version. report_from_json (report.cc) reads this back.
#include <cmath>
#include <utility>

#include "rsq/metrics.h"
#include "rsq/report.h"
#include "rsq/version.h"

namespace rsq {

namespace {
nlohmann::ordered_json num(double x) {
  if (std::isnan(x) || std::isinf(x)) return nullptr;
  return x;
}
// A metric's summary: count, moments, the table's quantiles, and the
// distribution for plots (the HTML report's ECDFs): the value at q = 0,
// 0.05, ..., 1 — the exact min and max at the ends, the sketch's quantiles
// (within ~1 %) between; the ECDF is empty when nothing was measured. All
// 23 quantiles come from one walk of the sketch.
nlohmann::ordered_json summary_json(const MetricSummary& m) {
  double qs[23] = {0.10, 0.50, 0.90, 0.99}, v[23];
  for (int k = 1; k <= 19; ++k) qs[3 + k] = k / 20.0;
  m.quantiles(qs, 23, v);
  nlohmann::ordered_json e = nlohmann::ordered_json::array();
  if (m.count)
    for (int k = 0; k <= 20; ++k) e.push_back(num(k == 0 ? m.min : k == 20 ? m.max : v[3 + k]));
  return {{"count", m.count},  {"mean", num(m.mean())}, {"std", num(m.stddev())}, {"min", num(m.count ? m.min : NAN)},
          {"p10", num(v[0])},  {"p50", num(v[1])},      {"p90", num(v[2])},       {"p99", num(v[3])},
          {"max", num(m.count ? m.max : NAN)}, {"ecdf", std::move(e)}};
}
}  // namespace

nlohmann::ordered_json report_to_json(const Report& r, bool include_state) {
  using json = nlohmann::ordered_json;
  json j;
  j["rsq_version"] = RSQ_VERSION_STRING;
  j["schema_version"] = kSchemaVersion;
  const auto& s = r.settings;
  j["settings"] = {{"compressor", s.compressor.str()},
                   {"words", s.words},
                   {"stem_prefix", s.stem_prefix},
                   {"think_tags", s.think_tags},
                   {"question_pointer", s.question_pointer},
                   {"reasoning_pointer", s.reasoning_pointer},
                   {"answer_pointer", s.answer_pointer}};
  if (s.metrics.all()) {
    j["settings"]["metrics"] = "all";
  } else {
    j["settings"]["metrics"] = s.metrics.names();
  }
  if (!s.tokenizer.sha256.empty())
    j["settings"]["tokenizer"] = {{"file", s.tokenizer.file},
                                  {"sha256", s.tokenizer.sha256},
                                  {"model", s.tokenizer.model},
                                  {"vocab", s.tokenizer.vocab}};
  const ModelSettings& md = s.models;
  if (!(md == ModelSettings{})) {
    json mj = json::object();
    if (!md.embed_model.empty()) {
      mj["embed_model"] = md.embed_model;
      mj["embed_query_prefix"] = md.embed_prefix;
      mj["embed_piece_chars"] = md.embed_max_chars;
    }
    if (!md.lm_model.empty()) mj["lm_model"] = md.lm_model;
    if (!md.judge_model.empty()) {
      mj["judge_model"] = md.judge_model;
      mj["judge_prompts"] = md.judge_prompts;
      mj["judge_sample"] = md.judge_sample;
    }
    j["settings"]["models"] = std::move(mj);
  }
  const MetricSelection& sel = s.metrics;
  json defs = json::object();
  for (size_t mi = 0; mi < all_metrics().size(); ++mi) {
    const auto& m = all_metrics()[mi];
    if (!sel.has(mi)) continue;
    defs[std::string(m.name)] = {{"version", m.version},
                                 {"segment", std::string(m.segment)},
                                 {"unit", std::string(m.unit)},
                                 {"kind", m.kind == MetricKind::flag ? "flag" : "value"},
                                 {"group", std::string(m.group)}};
  }
  j["metric_definitions"] = std::move(defs);
  if (r.ranking) {
    const RankingBasis& b = *r.ranking;
    json m = json::object();
    for (const auto& [name, w] : b.measured) m[name] = w;
    j["ranking"] = {{"comparable", b.comparable},     {"coverage_min", b.coverage_min},
                    {"coverage_max", b.coverage_max}, {"measured_weight", m},
                    {"unmeasured", b.unmeasured},     {"measured_for_some_inputs", b.partly}};
  }
  json ds = json::array();
  for (const auto& d : r.datasets) {
    json o;
    o["input"] = d.input;
    if (d.shard) o["shard"] = {{"index", d.shard->index}, {"count", d.shard->count}};
    o["framing"] = d.framing;
    o["compression"] = d.compression;
    o["bytes"] = d.bytes;
    o["lines"] = d.lines;
    o["scored"] = d.scored;
    o["skipped"] = d.skipped;
    o["rejected"] = d.rejected;
    o["layouts"] = d.layouts;
    o["trace_states"] = d.trace_states;
    if (!d.unknown_tags.empty()) o["unknown_tags"] = d.unknown_tags;
    const auto notes = dataset_notes(d);
    if (!notes.empty()) o["notes"] = notes;
    o["input_errors"] = d.input_errors;
    json ms = json::object();
    auto metrics = all_metrics();
    for (size_t i = 0; i < metrics.size() && i < d.metrics.size(); ++i) {
      if (!sel.has(i)) continue;
      const auto& m = d.metrics[i];
      json v = summary_json(m);
      if (!metrics[i].endpoint.empty() && metrics[i].endpoint != "tokenizer") {
        // Model-backed values are estimates from what the model answered
        // (and, for the judge, from a sample): a 95 % interval of the mean.
        const double half = m.count >= 2 ? 1.959963984540054 * m.stddev() / std::sqrt(static_cast<double>(m.count)) : NAN;
        v["ci95"] = json::array({num(m.mean() - half), num(m.mean() + half)});
        if (metrics[i].group == "judge" && metrics[i].name != "judge_steps") {
          const std::string crit = metrics[i].name == "step_utility" ? "utility" : std::string(metrics[i].name);
          auto steps = d.model_counts.find("judge.steps");
          auto pos = d.model_counts.find("judge.positive." + crit);
          const double n = steps == d.model_counts.end() ? 0 : static_cast<double>(steps->second);
          const double k = pos == d.model_counts.end() ? 0 : static_cast<double>(pos->second);
          v["micro"] = n > 0 ? num(100.0 * k / n) : json(nullptr);
          // Wilson's 95 % interval for the share over steps (stays in 0..100).
          if (n > 0) {
            const double z = 1.959963984540054, ph = k / n, den = 1 + z * z / n;
            const double mid = (ph + z * z / (2 * n)) / den, half = z * std::sqrt(ph * (1 - ph) / n + z * z / (4 * n * n)) / den;
            v["micro_ci95"] = json::array({num(100 * (mid - half)), num(100 * (mid + half))});
          }
        }
      }
      if (include_state) v["state"] = nlohmann::ordered_json::parse(m.state().dump());
      ms[std::string(metrics[i].name)] = std::move(v);
    }
    for (size_t i = 0; i < d.field_names.size() && i < d.field_metrics.size(); ++i) {
      const auto& m = d.field_metrics[i];
      json v = summary_json(m);
      v["imported"] = true;
      if (include_state) v["state"] = nlohmann::ordered_json::parse(m.state().dump());
      ms[d.field_names[i]] = std::move(v);
    }
    o["metrics"] = std::move(ms);
    if (!d.model_failures.empty()) {
      o["model_failures"] = d.model_failures;
      o["model_failed_records"] = d.model_failed_records;
    }
    if (!d.model_counts.empty()) o["model_counts"] = d.model_counts;
    if (!d.imported.empty()) {
      json im = json::object();
      for (const auto& [k, v] : d.imported) im[k] = num(v);
      o["imported"] = std::move(im);
    }
    if (d.utility) {
      const Utility& u = *d.utility;
      json uj;
      uj["scale"] = u.scale;
      uj["profile"] = u.profile;
      uj["score"] = num(u.score);
      uj["coverage"] = u.coverage;
      uj["rank"] = u.rank;
      json cs = json::object();
      for (const auto& [name, c] : u.contributions)
        cs[name] = {{"value", num(c.value)},         {"normalized", num(c.normalized)},
                    {"weight", c.weight},            {"contribution", c.measured ? num(c.contribution) : json(nullptr)},
                    {"measured", c.measured},        {"imported", c.imported}};
      uj["contributions"] = std::move(cs);
      uj["warnings"] = u.warnings;
      o["utility"] = std::move(uj);
    }
    ds.push_back(std::move(o));
  }
  j["datasets"] = std::move(ds);
  return j;
}

}  // namespace rsq
