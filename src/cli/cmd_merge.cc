// `rsq merge`: combine shard reports (written with `rsq score --state
// --format json`) into the report of the whole, exactly: counts add, sums
// are exact big numbers, quantile sketches merge bucket by bucket. Run shards
// under any scheduler (Slurm arrays, GNU parallel, Spark) and merge here.
#include <fstream>
#include <sstream>

#include "commands.h"
#include "common.h"
#include "output.h"
#include "rsq/emit.h"
#include "rsq/error.h"

namespace rsq::cli {

struct MergeOptions {
  std::vector<std::string> reports;
  std::string name = "merged", format = "json", output;
};

std::shared_ptr<MergeOptions> setup_merge(CLI::App& app) {
  auto o = std::make_shared<MergeOptions>();
  auto* c = app.add_subcommand("merge", "Merge shard reports (rsq score --state --format json) into one dataset, exactly");
  c->add_option("reports", o->reports, "Shard reports (JSON with --state)")->required();
  c->add_option("--name", o->name, "Input name of the merged dataset")->capture_default_str();
  c->add_option("--format", o->format, "Output format (json keeps the state, so merges can be merged again)")
      ->check(CLI::IsMember({"table", "json", "csv", "tsv", "markdown"}))
      ->capture_default_str();
  c->add_option("-o,--output", o->output, "Write to FILE (atomically) instead of stdout");
  return o;
}

int run_merge(const MergeOptions& o) {
  Report out;
  DatasetReport all;
  all.input = o.name;
  bool first = true;
  for (const auto& path : o.reports) {
    Report r = report_from_json(read_json_file(path, ErrorKind::data), path);
    // `full` compares the whole --metrics selection; messages name its size.
    auto key = [](const ReportSettings& s, bool full = false) {
      std::string t;
      for (const auto& x : s.think_tags) t += x + ";";
      t += "|metrics=";
      if (s.metrics.empty()) {
        t += "all";
      } else if (full || s.metrics.size() <= 4) {
        for (size_t i = 0; i < s.metrics.size(); ++i) t += (i ? "," : "") + s.metrics[i];
      } else {
        t += std::to_string(s.metrics.size()) + " selected";
      }
      return s.compressor + "|" + s.words + "|" + std::to_string(s.stem_prefix) + "|" + s.question_pointer + "|" +
             s.reasoning_pointer + "|" + s.answer_pointer + "|" + t;
    };
    if (first) {
      out.settings = r.settings;
    } else if (key(out.settings, true) != key(r.settings, true)) {
      throw Error(ErrorKind::usage, path + ": made with other settings (" + key(r.settings) + ") than " + o.reports[0] + " (" +
                                        key(out.settings) + "); shards must be scored alike");
    }
    for (const auto& d : r.datasets) {
      if (first) {
        all.framing = d.framing;
        all.compression = d.compression;
      }
      merge_dataset(all, d);
      first = false;
    }
  }
  out.datasets.push_back(std::move(all));
  EmitOptions eo;
  eo.format = o.format == "json" ? Format::json : o.format == "csv" ? Format::csv : o.format == "tsv" ? Format::tsv
            : o.format == "markdown" ? Format::markdown : Format::table;
  eo.include_state = true;
  write_output(o.output, emit_report(out, eo));
  return 0;
}

}  // namespace rsq::cli
