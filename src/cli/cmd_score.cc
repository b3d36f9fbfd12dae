// `rsq score`: stream each input once and print one report row per input
// (rsq::run_score does the work; this file declares the options).
#include "commands.h"
#include "common.h"
#include "rsq/emit.h"
#include "rsq/metrics.h"

namespace rsq::cli {

struct ScoreOptions {
  InputOptions in;  // shared with annotate, filter and gate (common.h)
  UiOptions ui;
  ScoreRequest req;
  std::string format = "table", output;
  bool state = false;
};

std::shared_ptr<ScoreOptions> setup_score(CLI::App& app) {
  auto o = std::make_shared<ScoreOptions>();
  auto* c = app.add_subcommand("score", kAboutScore);
  add_input_options(c, o->in);
  c->add_option("--format", o->format, "Output format")
      ->check(CLI::IsMember({"table", "json", "csv", "tsv", "markdown", "html"}))
      ->capture_default_str();
  c->add_option("-o,--output", o->output, "Write the report to FILE (atomically) instead of stdout");
  add_ui_options(c, o->ui, true);
  c->add_flag("--state", o->state, "JSON: include mergeable accumulator state per metric");
  c->add_option("--scale", o->req.scale, "Target model size for the utility score: 8b, 11b, 7.5b, 70b, ... (evidence: 8B-11B)");
  c->add_option("--profile", o->req.profile, "Utility profile JSON (overrides --scale); see docs/profiles.md");
  c->add_option_function<std::string>(
       "--metric-field", [o](const std::string& s) { o->req.metric_fields.push_back(s); },
       "NAME=/json/pointer: a numeric per-record field computed elsewhere, reported as an imported metric (repeatable)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->trigger_on_parse();
  std::string groups;
  for (auto g : metric_groups()) groups += " " + std::string(g);
  c->add_option("--metrics", o->req.metrics,
                "Compute and report only these: metric or group names, comma-separated; a leading '-' removes "
                "(--metrics=-ngrams,-alignment). Groups:" + groups)
      ->capture_default_str();
  c->add_flag("--explain", o->req.explain, "Show each metric's value, normalised value, weight and contribution");
  c->add_option("--with-metrics", o->req.with_metrics,
                "JSON {dataset: {metric: value}} of dataset-level values computed elsewhere (e.g. semantic_alignment)");
  c->add_option("--block-bytes", o->in.r.block_bytes, "Chunk size (testing)")->group("")->check(CLI::Range(uint64_t{64}, uint64_t{1} << 30));
  return o;
}

int run_score(const ScoreOptions& o) {
  Terminal term(when(o.ui.color), when(o.ui.progress), o.in.quiet);
  ScoreRequest req = o.req;
  req.in = input_request(o.in);
  TerminalObserver obs(term, o.in.quiet);
  obs.set_models(o.in.service.get());
  ScoreResult res = rsq::run_score(req, obs);
  print_messages(term, res, o.in.quiet);
  print_model_summary(term, o.in);
  EmitOptions eo;
  eo.format = parse_format(o.format);
  eo.color = o.output.empty() && stdout_is_tty() && when(o.ui.color) != When::never && !no_color_env() && eo.format == Format::table;
  eo.include_state = o.state;
  write_output(o.output, emit_report(res.report, eo));
  return static_cast<int>(res.code);
}

}  // namespace rsq::cli
