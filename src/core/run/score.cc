// rsq score's use case (rsq/run.h): every input through the pipeline, then
// imported values, the utility of each dataset under the chosen profile, the
// ranking, and the warnings a reader of the utility must see.
#include <cmath>
#include <set>

#include "rsq/error.h"
#include "rsq/metrics.h"
#include "rsq/profile.h"
#include "rsq/run.h"
#include "run/run_internal.h"

namespace rsq {
namespace {

// --with-metrics: {"dataset": {"metric": number, ...}, ...}
std::map<std::string, std::map<std::string, double>> load_imported(const std::string& path) {
  nlohmann::json j = read_json_file(path, ErrorKind::usage);
  if (!j.is_object()) throw Error(ErrorKind::usage, path + ": expected {\"dataset\": {\"metric\": value}}");
  std::map<std::string, std::map<std::string, double>> out;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!it.value().is_object()) throw Error(ErrorKind::usage, path + ": '" + it.key() + "' must map metric names to numbers");
    for (auto m = it.value().begin(); m != it.value().end(); ++m) {
      if (!m.value().is_number() || !std::isfinite(m.value().get<double>()))
        throw Error(ErrorKind::usage, path + ": '" + it.key() + "." + m.key() + "' must be a finite number");
      // "utility" was the judge share's old name (the score's own name).
      out[it.key()][m.key() == "utility" ? "step_utility" : m.key()] = m.value().get<double>();
    }
  }
  return out;
}

// Ends the observer's view of an input however the input ends.
struct InputScope {
  RunObserver& obs;
  std::string shown;
  ~InputScope() { obs.end_input(shown); }
};

}  // namespace

ScoreResult run_score(const ScoreRequest& req, RunObserver& obs) {
  using namespace run_detail;
  ScoreResult out;
  // Utility settings are checked before any work.
  ProfileChoice pc = choose_profile(req.scale, req.profile);
  if (!pc.profile && req.explain) throw Error(ErrorKind::usage, "--explain needs --scale or --profile");
  const std::optional<Profile>& profile = pc.profile;
  std::map<std::string, std::map<std::string, double>> imported;
  std::set<std::string> imported_used;
  if (!req.with_metrics.empty()) imported = load_imported(req.with_metrics);

  // The headline command measures redundancy the way the profile was
  // calibrated, unless --compressor says otherwise.
  InputRequest in = req.in;
  if (profile && !in.compressor_set && !profile->compressor.empty()) in.compressor = profile->compressor;
  PipelineOptions po = plan_pipeline(in);
  po.text.metrics = select_metrics(req.metrics, in);
  for (const auto& f : req.metric_fields) {
    size_t eq = f.find('=');
    std::string name = f.substr(0, eq);
    if (eq == std::string::npos || name.empty() || eq + 1 >= f.size() || f[eq + 1] != '/')
      throw Error(ErrorKind::usage, "--metric-field expects NAME=/json/pointer (e.g. semantic_alignment=/scores/align), got '" + f + "'");
    // A model-backed metric's name may carry an imported value, unless this
    // run computes that metric itself.
    if (const MetricInfo* m = find_metric(name); m && (m->endpoint.empty() || po.text.metrics.has(static_cast<size_t>(m - all_metrics().data()))))
      throw Error(ErrorKind::usage, "--metric-field: '" + name + "' is an rsq metric this run computes; give the imported value another name");
    po.record.metric_fields.emplace_back(name, f.substr(eq + 1));
  }
  Report& report = out.report;
  report.settings = plan_settings(in);
  report.settings.metrics = po.text.metrics;

  // Open everything first: a missing input fails before minutes of work.
  auto sources = open_all(req.in);
  uint64_t rejected_total = 0, model_failed = 0;
  for (size_t i = 0; i < req.in.inputs.size(); ++i) {
    const std::string& input = req.in.inputs[i];
    const std::string shown = input == "-" && !in.stdin_name.empty() ? in.stdin_name : shown_name(input);
    DatasetReport d;
    {
      Progress prog;
      obs.begin_input(shown, *sources[i], prog);
      InputScope scope{obs, shown};
      d = read_input(*sources[i], input, po, in, obs, {.framing_note = true}, &prog);
    }
    sources[i].reset();
    rejected_total += d.rejected_total() + d.model_failed_records;
    model_failed += d.model_failed_records;
    if (!d.input_errors.empty()) out.code = worse(out.code, ExitCode::bad_data);
    if (d.scored == 0) out.code = worse(out.code, ExitCode::bad_data);
    report.datasets.push_back(std::move(d));
  }

  const std::string used_compressor = report.settings.compressor.str();
  const bool compressor_skew = profile && !profile->compressor.empty() && profile->compressor != used_compressor;
  const std::string skew_warning =
      compressor_skew ? "the profile's redundancy range was set with " + profile->compressor + ", this report used " +
                            used_compressor + " (use --compressor " + profile->compressor + " for the same scale)"
                      : "";
  bool skew_used = false;
  for (auto& d : report.datasets) {
    const std::string key = imported.count(d.input) ? d.input : dataset_stem(d.input);
    if (imported.count(key)) {
      d.imported = imported[key];
      imported_used.insert(key);
    }
    if (!profile) continue;
    d.utility = utility_of(*profile, d);
    if (!pc.warning.empty()) d.utility->warnings.push_back(pc.warning);
    auto red = d.utility->contributions.find("redundancy_ratio");
    if (compressor_skew && red != d.utility->contributions.end() && red->second.measured && !red->second.imported) {
      d.utility->warnings.push_back(skew_warning);
      skew_used = true;
    }
  }
  for (const auto& d : report.datasets)
    for (const auto& n : dataset_notes(d)) out.warn(d.input + ": " + n);
  for (const auto& [k, v] : imported)
    if (!imported_used.count(k)) out.warn("--with-metrics: no input named '" + k + "' (keys are input paths or file stems)");
  if (profile) {
    std::vector<Utility*> us;
    for (auto& d : report.datasets) us.push_back(&*d.utility);
    rank_utilities(us);
    if (report.datasets.size() > 1) {
      report.ranking = ranking_basis({us.begin(), us.end()});
      if (!report.ranking->comparable) {
        std::string partly;
        for (const auto& m : report.ranking->partly) partly += (partly.empty() ? "" : ", ") + m;
        out.warn("the ranking is not comparable: the inputs' utilities average different metrics (" + partly +
                 " measured for some inputs only)");
      }
    }
    if (!pc.warning.empty()) out.warn(pc.warning);
    if (skew_used) out.warn(skew_warning);
    for (const auto& d : report.datasets)
      if (d.utility->coverage < 0.5) {
        out.warn("utility of '" + d.input + "' rests on " + std::to_string(static_cast<int>(std::lround(100 * d.utility->coverage))) +
                 "% of the profile's weight (" + unmeasured_hint(*profile, d) + ")");
        break;
      }
  }
  report.explain = req.explain;
  bad_lines_verdict(rejected_total, in, model_failed ? "rejected or without a model metric" : "rejected", out);
  return out;
}

}  // namespace rsq
