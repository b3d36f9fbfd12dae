// commands.h — each subcommand is one file with a setup function (declares
// its options on the CLI11 app) and a run function (does the work, returns
// the exit code). main.cc only wires them together.
#pragma once
#include <CLI/CLI.hpp>
#include <memory>

namespace rsq::cli {

// What `rsq --help` says of each command (setup_* declares it; main.cc
// declares the commands argv does not name with this line alone).
inline constexpr const char* kAboutScore = "Measure reasoning-trace datasets and print a metric table per input";
inline constexpr const char* kAboutCorrelate = "Correlate dataset metrics with downstream results (Spearman, Pearson, Kendall)";
inline constexpr const char* kAboutAnnotate = "Write every record with its metrics (JSONL), in input order";
inline constexpr const char* kAboutFilter = "Keep the records that satisfy --where; route the rest to --rejects (byte for byte)";
inline constexpr const char* kAboutGate = "Check a dataset against threshold rules and a baseline report (CI gate)";
inline constexpr const char* kAboutMerge = "Merge shard reports (rsq score --state --format json) into one dataset, exactly";
inline constexpr const char* kAboutReport = "Render saved JSON reports (rsq score --format json, rsq merge) as one HTML file";

struct ScoreOptions;
std::shared_ptr<ScoreOptions> setup_score(CLI::App& app);
int run_score(const ScoreOptions& o);

struct AnnotateCmdOptions;
std::shared_ptr<AnnotateCmdOptions> setup_annotate(CLI::App& app);
int run_annotate(const AnnotateCmdOptions& o);

struct FilterCmdOptions;
std::shared_ptr<FilterCmdOptions> setup_filter(CLI::App& app);
int run_filter(const FilterCmdOptions& o);

struct GateCmdOptions;
std::shared_ptr<GateCmdOptions> setup_gate(CLI::App& app);
int run_gate(const GateCmdOptions& o);

struct MergeOptions;
std::shared_ptr<MergeOptions> setup_merge(CLI::App& app);
int run_merge(const MergeOptions& o);

struct ReportCmdOptions;
std::shared_ptr<ReportCmdOptions> setup_report(CLI::App& app);
int run_report(const ReportCmdOptions& o);

struct CorrelateOptions;
std::shared_ptr<CorrelateOptions> setup_correlate(CLI::App& app);
int run_correlate(const CorrelateOptions& o);

}  // namespace rsq::cli
