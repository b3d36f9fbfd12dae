// `rsq correlate`: the paper's analysis on the user's numbers. Reads
// dataset-level metrics (rsq JSON reports or CSV) and downstream results
// (CSV), prints the correlation table, optionally writes a fitted profile.
#include "commands.h"
#include "common.h"
#include "rsq/correlate.h"
#include "rsq/error.h"

namespace rsq::cli {

struct CorrelateOptions {
  std::vector<std::string> metrics;
  std::vector<std::string> renames;
  std::string results, format = "table", output, emit_profile, model;
  bool quiet = false;
  UiOptions ui;
};

std::shared_ptr<CorrelateOptions> setup_correlate(CLI::App& app) {
  auto o = std::make_shared<CorrelateOptions>();
  auto* c = app.add_subcommand("correlate", kAboutCorrelate);
  c->add_option("--metrics", o->metrics, "rsq score JSON reports or CSV 'dataset,<metric>,...' (repeatable)")->required();
  c->add_option("--results", o->results, "CSV 'dataset,model,benchmark,score[,base]' (base: relative gain)")->required();
  c->add_option("--format", o->format, "Output format")
      ->check(CLI::IsMember({"table", "json", "csv", "tsv", "markdown"}))
      ->capture_default_str();
  c->add_option("-o,--output", o->output, "Write to FILE (atomically) instead of stdout");
  c->add_option("--emit-profile", o->emit_profile, "Write a profile fitted from the averages to FILE");
  c->add_option("--model", o->model, "Model whose averages --emit-profile uses (default: the only one)");
  c->add_flag("-q,--quiet", o->quiet, "No notes on stderr");
  c->add_option("--rename", o->renames, "OLD=NEW: rename a dataset of --metrics (reports name datasets by file stem)");
  add_ui_options(c, o->ui, false);
  return o;
}

int run_correlate(const CorrelateOptions& o) {
  MetricTable t;
  for (const auto& m : o.metrics) load_metrics_file(m, t);
  for (const auto& r : o.renames) {
    size_t eq = r.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == r.size())
      throw Error(ErrorKind::usage, "--rename expects OLD=NEW, got '" + r + "'");
    rename_dataset(t, r.substr(0, eq), r.substr(eq + 1));
  }
  auto results = load_results_file(o.results);
  CorrelationReport r = correlate(t, results);
  Terminal term(when(o.ui.color), When::never, o.quiet);
  RunOutcome notes;
  for (const auto& e : r.excluded) notes.warn("excluded " + e);
  print_messages(term, notes, o.quiet);
  write_output(o.output, emit_correlation(r, o.format));
  if (!o.emit_profile.empty()) {
    std::string model = o.model;
    if (model.empty()) {
      if (r.models.size() != 1) {
        std::string names;
        for (const auto& m : r.models) names += (names.empty() ? "" : ", ") + m;
        throw Error(ErrorKind::usage, "--emit-profile: several models (" + names + "); choose one with --model");
      }
      model = r.models[0];
    }
    if (std::find(r.models.begin(), r.models.end(), model) == r.models.end())
      throw Error(ErrorKind::usage, "--model: no model '" + model + "' in the results");
    RunOutcome fit;
    std::vector<std::string> warnings;
    const Profile p = profile_from_correlation(r, t, model, &warnings);
    for (const auto& w : warnings) fit.warn(w);
    print_messages(term, fit, o.quiet);
    write_output(o.emit_profile, profile_to_json(p).dump(2) + "\n");
  }
  return 0;
}

}  // namespace rsq::cli
