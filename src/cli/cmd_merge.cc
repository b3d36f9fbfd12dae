// `rsq merge`: combine shard reports (written with `rsq score --state
// --format json`) into the report of the whole, exactly (rsq::run_merge):
// counts add, sums are exact big numbers, quantile sketches merge bucket by
// bucket. Run shards under any scheduler (Slurm arrays, GNU parallel) and
// merge here.
#include "commands.h"
#include "common.h"
#include "rsq/emit.h"

namespace rsq::cli {

struct MergeOptions {
  MergeRequest req;
  UiOptions ui;
  std::string format = "json", output;
};

std::shared_ptr<MergeOptions> setup_merge(CLI::App& app) {
  auto o = std::make_shared<MergeOptions>();
  auto* c = app.add_subcommand("merge", kAboutMerge);
  c->add_option("reports", o->req.reports, "Shard reports (JSON with --state)")->required();
  c->add_option("--name", o->req.name, "Input name of the merged dataset")->capture_default_str();
  c->add_option("--format", o->format, "Output format (json keeps the state, so merges can be merged again)")
      ->check(CLI::IsMember({"table", "json", "csv", "tsv", "markdown", "html"}))
      ->capture_default_str();
  c->add_option("-o,--output", o->output, "Write to FILE (atomically) instead of stdout");
  add_ui_options(c, o->ui, false);
  return o;
}

int run_merge(const MergeOptions& o) {
  Report out = rsq::run_merge(o.req);
  EmitOptions eo;
  eo.format = parse_format(o.format);
  eo.include_state = true;
  write_output(o.output, emit_report(out, eo));
  return 0;
}

}  // namespace rsq::cli
