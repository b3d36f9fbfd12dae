// rsq gate's use case (rsq/run.h): one dataset, scored on only what the
// rules and the utility profile read, checked against the rules and an
// optional baseline report made with the same settings.
#include "rsq/error.h"
#include "rsq/gate.h"
#include "rsq/run.h"
#include "run/run_internal.h"

namespace rsq {

GateRunResult run_gate(const GateRequest& req, RunObserver& obs) {
  using namespace run_detail;
  if (req.in.inputs.size() != 1)
    throw Error(ErrorKind::usage, "rsq gate checks one dataset at a time (got " + std::to_string(req.in.inputs.size()) + ")");
  auto rules = parse_gate_rules(read_file(req.rules), req.rules);
  bool wants_utility = false;
  for (const auto& r : rules) wants_utility |= r.metric == "utility";
  ProfileChoice pc = choose_profile(req.scale, req.profile);
  if (!pc.profile && wants_utility) throw Error(ErrorKind::usage, "the rules check 'utility': give --scale or --profile");
  // As in rsq score: redundancy the way the profile was calibrated, unless
  // --compressor says otherwise (a baseline made by score --scale matches).
  InputRequest in = req.in;
  if (pc.profile && !in.compressor_set && !pc.profile->compressor.empty()) in.compressor = pc.profile->compressor;
  PipelineOptions po = plan_pipeline(in);
  // Only what the rules and the utility profile read is computed (a gate on
  // lengths and flags does not pay for n-grams and compression).
  {
    std::vector<std::string> read;
    for (const auto& r : rules) read.push_back(r.metric);
    po.text.metrics = MetricSelection::of_names(read);
    check_endpoints(po.text.metrics, in);  // a rule on a model-backed metric needs its endpoint
    // The profile's slots: offline ones always, model-backed ones when their
    // endpoint is configured.
    if (pc.profile)
      for (const auto& m : pc.profile->metrics)
        if (const MetricInfo* info = find_metric(m.name);
            info && (info->endpoint.empty() || endpoint_configured(in, info->endpoint)))
          read.push_back(m.name);
    po.text.metrics = MetricSelection::of_names(read);
  }
  const ReportSettings settings = plan_settings(in);
  nlohmann::json base_report, base_dataset;
  if (!req.baseline.empty()) {
    base_report = read_json_file(req.baseline, ErrorKind::usage);
    check_baseline_compatible(base_report, settings);
    if (!base_report["datasets"].is_array() || base_report["datasets"].empty())
      throw Error(ErrorKind::usage, "--baseline has no datasets (expected a non-empty array)");
    base_dataset = base_report["datasets"][0];
  }
  if (in.shard_count)
    throw Error(ErrorKind::usage, "rsq gate checks a whole dataset, not a shard: score the shards with --state, merge "
                                  "them, and gate the merged report as a --baseline, or gate the whole file");
  auto src = open_source(in.inputs[0]);
  DatasetReport d = read_input(*src, in.inputs[0], po, in, obs, {.framing_note = false, .require_scored = false});
  GateRunResult out;
  if (pc.profile) {
    d.utility = utility_of(*pc.profile, d);
    if (!pc.warning.empty()) out.warn(pc.warning);
  }
  // A utility is comparable with the baseline's only under the same profile.
  if (wants_utility && d.utility && base_dataset.is_object() && base_dataset.contains("utility") &&
      base_dataset["utility"].is_object()) {
    const auto& bu = base_dataset["utility"];
    const std::string was = bu.value("profile", std::string()) + " (scale " + bu.value("scale", std::string()) + ")";
    const std::string now = d.utility->profile + " (scale " + d.utility->scale + ")";
    if (was != now)
      throw Error(ErrorKind::usage, "--baseline's utility was computed with profile " + was + ", this run uses " + now +
                                        "; utilities of different profiles are not comparable (use the baseline's --scale or --profile)");
  }
  out.gate = evaluate_gate(rules, d, req.baseline.empty() ? nullptr : &base_dataset);
  if (out.gate.failed) out.code = ExitCode::check_failed;
  out.report.settings = settings;
  out.report.datasets.push_back(d);
  if (!d.input_errors.empty() || d.rejected_total() > in.max_bad_lines || d.scored == 0)
    out.fail(ExitCode::bad_data, "the input is damaged or has " + std::to_string(d.rejected_total()) +
                                     " rejected record(s) (--max-bad-lines=" + std::to_string(in.max_bad_lines) +
                                     "); a gate on bad data does not pass");
  return out;
}

}  // namespace rsq
