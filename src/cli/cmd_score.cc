// `rsq score`: stream each input once and print one report row per input.
// Glue only: options → PipelineOptions, inputs → ByteSources, the pipeline's
// reports → an emitter, and the outcome → an exit code.
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <algorithm>
#include <thread>

#include "commands.h"
#include "output.h"
#include "rsq/emit.h"
#include "rsq/error.h"
#include "rsq/metrics.h"
#include "rsq/pipeline.h"
#include "rsq/profile.h"
#include <fstream>
#include <sstream>
#include <nlohmann/json.hpp>
#include "common.h"
#include "terminal.h"

namespace rsq::cli {

struct ScoreOptions {
  InputOptions in;  // shared with annotate, filter and gate (common.h)
  std::string format = "table";
  std::string output;
  std::string color = "auto", progress = "auto";
  uint64_t block_bytes = uint64_t{1} << 20;
  bool state = false;
  std::string scale, profile, with_metrics;
  bool explain = false;
  std::vector<std::string> metric_fields;
  std::string metrics = "all";
};

std::shared_ptr<ScoreOptions> setup_score(CLI::App& app) {
  auto o = std::make_shared<ScoreOptions>();
  auto* c = app.add_subcommand("score", "Measure reasoning-trace datasets and print a metric table per input");
  add_input_options(c, o->in);
  c->add_option("--format", o->format, "Output format")
      ->check(CLI::IsMember({"table", "json", "csv", "tsv", "markdown"}))
      ->capture_default_str();
  c->add_option("-o,--output", o->output, "Write the report to FILE (atomically) instead of stdout");
  c->add_option("--color", o->color, "Colour on stderr")->check(CLI::IsMember({"auto", "always", "never"}))->capture_default_str();
  c->add_option("--progress", o->progress, "Progress line on stderr")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  c->add_flag("--state", o->state, "JSON: include mergeable accumulator state per metric");
  c->add_option("--scale", o->scale, "Target model size for the utility score: 8b, 11b, 7.5b, 70b, ... (evidence: 8B-11B)");
  c->add_option("--profile", o->profile, "Utility profile JSON (overrides --scale); see docs/profiles.md");
  c->add_option_function<std::string>(
       "--metric-field", [o](const std::string& s) { o->metric_fields.push_back(s); },
       "NAME=/json/pointer: a numeric per-record field computed elsewhere, reported as an imported metric (repeatable)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->trigger_on_parse();
  c->add_option("--metrics", o->metrics,
                "Compute and report only these: metric or group names, comma-separated; a leading '-' removes "
                "(--metrics=-ngrams,-alignment). Groups: verbosity redundancy symbols alignment lines ngrams loops "
                "scripts structure")
      ->capture_default_str();
  c->add_flag("--explain", o->explain, "Show each metric's value, normalised value, weight and contribution");
  c->add_option("--with-metrics", o->with_metrics,
                "JSON {dataset: {metric: value}} of dataset-level values computed elsewhere (e.g. semantic_alignment)");
  c->add_option("--block-bytes", o->block_bytes, "Chunk size (testing)")->group("")->check(CLI::Range(uint64_t{64}, uint64_t{1} << 30));
  return o;
}

namespace {

When when(const std::string& s) { return s == "always" ? When::always : s == "never" ? When::never : When::auto_; }

Format parse_format(const std::string& f) {
  if (f == "json") return Format::json;
  if (f == "csv") return Format::csv;
  if (f == "tsv") return Format::tsv;
  if (f == "markdown") return Format::markdown;
  return Format::table;
}

std::string human_bytes(double b) {
  char buf[32];
  const char* u[] = {"B", "KB", "MB", "GB", "TB"};
  int i = 0;
  while (b >= 1000 && i < 4) {
    b /= 1000;
    ++i;
  }
  std::snprintf(buf, sizeof buf, "%.1f %s", b, u[i]);
  return buf;
}

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
      out[it.key()][m.key()] = m.value().get<double>();
    }
  }
  return out;
}

}  // namespace

int run_score(const ScoreOptions& o) {
  Terminal term(when(o.color), when(o.progress), o.in.quiet);

  std::vector<std::string> inputs = resolve_inputs(o.in);

  // Utility settings are checked before any work.
  std::optional<Profile> profile;
  std::string profile_warning;
  if (!o.profile.empty()) {
    profile = load_profile_file(o.profile);
    if (!o.scale.empty()) profile_warning = "--profile overrides --scale";
  } else if (!o.scale.empty()) {
    profile = profile_for_scale(parse_scale(o.scale), profile_warning);
  } else if (o.explain) {
    throw Error(ErrorKind::usage, "--explain needs --scale or --profile");
  }
  std::map<std::string, std::map<std::string, double>> imported;
  std::set<std::string> imported_used;
  if (!o.with_metrics.empty()) imported = load_imported(o.with_metrics);

  PipelineOptions po = pipeline_options(o.in);
  po.reader.block_bytes = o.block_bytes;
  const std::vector<char> selected = select_metrics(o.metrics);
  restrict_text_options(selected, po.text);
  for (const auto& f : o.metric_fields) {
    size_t eq = f.find('=');
    std::string name = f.substr(0, eq);
    if (eq == std::string::npos || name.empty() || eq + 1 >= f.size() || f[eq + 1] != '/')
      throw Error(ErrorKind::usage, "--metric-field expects NAME=/json/pointer (e.g. semantic_alignment=/scores/align), got '" + f + "'");
    if (find_metric(name))
      throw Error(ErrorKind::usage, "--metric-field: '" + name + "' is an rsq metric; give the imported value another name");
    po.record.metric_fields.emplace_back(name, f.substr(eq + 1));
  }
  Report report;
  report.settings.compressor = (po.text.codec == Codec::zstd ? "zstd:" : "zlib:") + std::to_string(po.text.level);
  report.settings.words = o.in.words;
  report.settings.stem_prefix = o.in.stem_prefix;
  report.settings.think_tags = o.in.think_tags;
  report.settings.question_pointer = o.in.question_ptr;
  report.settings.reasoning_pointer = o.in.reasoning_ptr;
  report.settings.answer_pointer = o.in.answer_ptr;
  if (std::find(selected.begin(), selected.end(), 0) != selected.end())
    for (size_t i = 0; i < selected.size(); ++i)
      if (selected[i]) report.settings.metrics.emplace_back(all_metrics()[i].name);

  // Open everything first: a missing input fails before minutes of work.
  std::vector<std::unique_ptr<ByteSource>> sources;
  for (const auto& in : inputs) sources.push_back(open_source(in));

  ExitCode code = ExitCode::ok;
  uint64_t rejected_total = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::string shown = inputs[i] == "-" ? "<stdin>" : inputs[i];
    std::map<std::string, uint64_t> per_code;
    auto sink = [&](const Diagnostic& d) {
      if (o.in.quiet) return;
      if (d.severity == Severity::note && d.code == "framing") {
        term.diagnostic(format_diagnostic(shown, d));
        return;
      }
      if (++per_code[d.code] <= o.in.max_diagnostics) term.diagnostic(format_diagnostic(shown, d));
    };
    Progress prog;
    std::atomic<bool> done{false};
    std::thread ticker;
    if (term.progress_enabled()) {
      ticker = std::thread([&, src = sources[i].get()] {
        auto t0 = std::chrono::steady_clock::now();
        while (!done.load()) {
          for (int k = 0; k < 5 && !done.load(); ++k) std::this_thread::sleep_for(std::chrono::milliseconds(50));
          if (done.load()) break;
          double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
          double b = static_cast<double>(prog.bytes.load());
          std::string line = "rsq: " + shown + ": " + human_bytes(b) + "  " +
                             std::to_string(static_cast<uint64_t>(static_cast<double>(prog.records.load()) / std::max(secs, 1e-3))) +
                             " rec/s";
          uint64_t total = src->raw_size(), used = src->raw_consumed();
          if (total && used && secs > 0.5) {
            double eta = secs * (static_cast<double>(total) / static_cast<double>(used) - 1);
            char e[48];
            std::snprintf(e, sizeof e, "  %.0f%%  ETA %.0fs", 100.0 * static_cast<double>(used) / static_cast<double>(total), eta);
            line += e;
          }
          term.progress(line);
        }
      });
    }
    DatasetReport d;
    try {
      d = score_source(*sources[i], inputs[i], po, sink, &prog);
    } catch (...) {
      done = true;
      if (ticker.joinable()) ticker.join();
      term.clear_progress();
      throw;
    }
    done = true;
    if (ticker.joinable()) ticker.join();
    term.clear_progress();
    sources[i].reset();
    if (!o.in.quiet)
      for (auto& [c, n] : per_code)
        if (n > o.in.max_diagnostics)
          term.diagnostic(format_diagnostic(shown, {Severity::note, "", std::to_string(n - o.in.max_diagnostics) +
                                                                        " more '" + c + "' diagnostics suppressed (--max-diagnostics)",
                                                    0, 0}));
    rejected_total += d.rejected_total();
    if (!d.input_errors.empty()) code = worse(code, ExitCode::bad_data);
    if (d.scored == 0) {
      if (!o.in.quiet)
        term.diagnostic(format_diagnostic(
            shown, {Severity::error, "nothing-scored",
                    d.lines == 0 ? "empty input: no records" : "no record could be scored (see skipped/rejected counts)", 0, 0}));
      code = worse(code, ExitCode::bad_data);
    }
    report.datasets.push_back(std::move(d));
  }
  const bool compressor_skew =
      profile && !profile->compressor.empty() && profile->compressor != report.settings.compressor;
  const std::string skew_warning =
      compressor_skew ? "the profile's redundancy range was set with " + profile->compressor + ", this report used " +
                            report.settings.compressor + " (use --compressor " + profile->compressor + " for the same scale)"
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
    if (!profile_warning.empty()) d.utility->warnings.push_back(profile_warning);
    auto red = d.utility->contributions.find("redundancy_ratio");
    if (compressor_skew && red != d.utility->contributions.end() && red->second.measured && !red->second.imported) {
      d.utility->warnings.push_back(skew_warning);
      skew_used = true;
    }
  }
  for (const auto& [k, v] : imported)
    if (!imported_used.count(k) && !o.in.quiet)
      term.message("rsq: warning: --with-metrics: no input named '" + k + "' (keys are input paths or file stems)");
  if (profile) {
    std::vector<Utility*> us;
    for (auto& d : report.datasets) us.push_back(&*d.utility);
    rank_utilities(us);
    if (!o.in.quiet) {
      if (!profile_warning.empty()) term.message("rsq: warning: " + profile_warning);
      if (skew_used) term.message("rsq: warning: " + skew_warning);
      for (const auto& d : report.datasets)
        if (d.utility->coverage < 0.5) {
          term.message("rsq: warning: utility of '" + d.input + "' rests on " +
                       std::to_string(static_cast<int>(std::lround(100 * d.utility->coverage))) +
                       "% of the profile's weight (the rest needs --with-metrics)");
          break;
        }
    }
  }
  report.explain = o.explain;

  if (rejected_total > o.in.max_bad_lines) {
    if (!o.in.quiet)
      term.message("rsq: error: " + std::to_string(rejected_total) + " record(s) rejected, more than --max-bad-lines=" +
                   std::to_string(o.in.max_bad_lines));
    code = worse(code, ExitCode::bad_data);
  }

  EmitOptions eo;
  eo.format = parse_format(o.format);
  eo.color = o.output.empty() && stdout_is_tty() && when(o.color) != When::never && !std::getenv("NO_COLOR") &&
             eo.format == Format::table;
  eo.include_state = o.state;
  write_output(o.output, emit_report(report, eo));
  return static_cast<int>(code);
}

}  // namespace rsq::cli
