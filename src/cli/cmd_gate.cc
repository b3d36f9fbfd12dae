// `rsq gate`: score one new dataset drop and check it against a rules file
// and, optionally, the last release's report. Exit 0 = all rules pass,
// 1 = a rule failed, 2 = bad rules/baseline/flags, 3 = bad data.
#include <fstream>
#include <sstream>

#include "commands.h"
#include "common.h"
#include "output.h"
#include "rsq/error.h"
#include "rsq/metrics.h"
#include "rsq/gate.h"
#include "rsq/profile.h"

namespace rsq::cli {

struct GateCmdOptions {
  InputOptions in;
  std::string rules, baseline, scale, profile, format = "table", output;
};

std::shared_ptr<GateCmdOptions> setup_gate(CLI::App& app) {
  auto o = std::make_shared<GateCmdOptions>();
  auto* c = app.add_subcommand("gate", "Check a dataset against threshold rules and a baseline report (CI gate)");
  add_input_options(c, o->in);
  c->add_option("--rules", o->rules, "Rules JSON (docs/gate.md; example: data/gate-example.json)")->required();
  c->add_option("--baseline", o->baseline, "rsq score --format json report of the last release");
  c->add_option("--scale", o->scale, "Model size for utility rules (8b, 11b, ...)");
  c->add_option("--profile", o->profile, "Utility profile JSON for utility rules");
  c->add_option("--format", o->format, "table, markdown (PR comment), junit (XML), github (workflow annotations)")
      ->check(CLI::IsMember({"table", "markdown", "junit", "github"}))
      ->capture_default_str();
  c->add_option("-o,--output", o->output, "Write to FILE (atomically) instead of stdout");
  return o;
}

int run_gate(const GateCmdOptions& o) {
  auto inputs = resolve_inputs(o.in);
  if (inputs.size() != 1) throw Error(ErrorKind::usage, "rsq gate checks one dataset at a time (got " + std::to_string(inputs.size()) + ")");
  auto rules = parse_gate_rules(read_file(o.rules), o.rules);
  bool wants_utility = false;
  for (const auto& r : rules) wants_utility |= r.metric == "utility";
  std::optional<Profile> profile;
  std::string warn;
  if (!o.profile.empty()) {
    profile = load_profile_file(o.profile);
  } else if (!o.scale.empty()) {
    profile = profile_for_scale(parse_scale(o.scale), warn);
  } else if (wants_utility) {
    throw Error(ErrorKind::usage, "the rules check 'utility': give --scale or --profile");
  }
  PipelineOptions po = pipeline_options(o.in);
  // Only what the rules and the utility profile read is computed (a gate on
  // lengths and flags does not pay for n-grams and compression).
  {
    std::vector<std::string> read;
    for (const auto& r : rules) read.push_back(r.metric);
    if (profile)
      for (const auto& m : profile->metrics) read.push_back(m.name);
    restrict_text_options(metrics_named(read), po.text);
  }
  ReportSettings settings;
  settings.compressor = (po.text.codec == Codec::zstd ? "zstd:" : "zlib:") + std::to_string(po.text.level);
  settings.words = o.in.words;
  settings.stem_prefix = o.in.stem_prefix;
  nlohmann::json base_report, base_dataset;
  if (!o.baseline.empty()) {
    base_report = read_json_file(o.baseline, ErrorKind::usage);
    check_baseline_compatible(base_report, settings);
    if (base_report["datasets"].empty()) throw Error(ErrorKind::usage, "--baseline has no datasets");
    base_dataset = base_report["datasets"][0];
  }
  auto src = open_source(inputs[0]);
  DatasetReport d = run_input(*src, inputs[0], po, o.in);
  if (profile) {
    d.utility = utility_of(*profile, d);
    if (!warn.empty() && !o.in.quiet) std::fprintf(stderr, "rsq: warning: %s\n", warn.c_str());
  }
  GateResult g = evaluate_gate(rules, d, o.baseline.empty() ? nullptr : &base_dataset);
  write_output(o.output, emit_gate(g, o.format));
  ExitCode code = g.failed ? ExitCode::check_failed : ExitCode::ok;
  if (!d.input_errors.empty() || d.rejected_total() > o.in.max_bad_lines || d.scored == 0) {
    if (!o.in.quiet)
      std::fprintf(stderr, "rsq: error: the input is damaged or has %llu rejected record(s) (--max-bad-lines=%llu); a gate on bad data does not pass\n",
                   static_cast<unsigned long long>(d.rejected_total()), static_cast<unsigned long long>(o.in.max_bad_lines));
    code = worse(code, ExitCode::bad_data);
  }
  return static_cast<int>(code);
}

}  // namespace rsq::cli
