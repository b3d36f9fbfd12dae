// `rsq report`: the HTML report of saved JSON reports (rsq score --format
// json, rsq merge), without re-scanning the data (rsq::html_report_from_files).
// Merged shard reports and CI artefacts get the same report as a run.
#include "commands.h"
#include "common.h"
#include "rsq/emit.h"

namespace rsq::cli {

struct ReportCmdOptions {
  std::vector<std::string> reports;
  UiOptions ui;
  std::string output;
};

std::shared_ptr<ReportCmdOptions> setup_report(CLI::App& app) {
  auto o = std::make_shared<ReportCmdOptions>();
  auto* c = app.add_subcommand("report", kAboutReport);
  c->add_option("reports", o->reports, "JSON reports, shown side by side")->required();
  c->add_option("-o,--output", o->output, "Write to FILE (atomically) instead of stdout");
  add_ui_options(c, o->ui, false);
  return o;
}

int run_report(const ReportCmdOptions& o) {
  write_output(o.output, html_report_from_files(o.reports));
  return 0;
}

}  // namespace rsq::cli
