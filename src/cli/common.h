// common.h — what the subcommands share on the CLI side: the input option
// group (one declaration instead of copies) and its translation into the
// core's InputRequest, the --color/--progress group, and the observer that
// shows diagnostics and the progress line through Terminal while the core
// runs. Subcommand files only declare their own options and make one call.
#pragma once
#include <CLI/CLI.hpp>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "output.h"
#include "rsq/error.h"
#include "rsq/model_client.h"
#include "rsq/run.h"
#include "terminal.h"

namespace rsq::cli {

// The model endpoints' flags (docs/endpoints.md), shared by every command
// that reads records.
struct ModelFlags {
  ModelClientConfig cfg;
  std::string endpoints_file, api_key_file;
  bool no_cache = false;
  std::string judge_steps = "atomizer";
  size_t judge_max_steps = 400;
};

struct InputOptions {
  InputRequest r;
  bool quiet = false;
  ModelFlags models;
  CLI::Option* compressor = nullptr;
  // Opened by input_request when an endpoint is configured; outlives the run.
  mutable std::shared_ptr<ModelService> service;
};

void add_input_options(CLI::App* c, InputOptions& o);
// The request with inputs resolved ("-" when stdin is piped and no file is
// given; refused on a terminal) and the thread count defaulted to all cores.
// Opens the model service when an endpoint is configured (checks each
// server before any record is read).
InputRequest input_request(const InputOptions& o);
// "rsq: models: 120 requests, 3 retries, 40 answers from the cache" on
// stderr, when a model service was used.
void print_model_summary(Terminal& term, const InputOptions& o);

struct UiOptions {
  std::string color = "auto", progress = "auto";
};
void add_ui_options(CLI::App* c, UiOptions& o, bool with_progress);
When when(const std::string& s);

// Shows what the core reports while it reads inputs: capped diagnostics and,
// on a terminal, a progress line per input. -q silences per-record
// diagnostics, not a whole-input error that explains a non-zero exit.
class TerminalObserver final : public RunObserver {
 public:
  TerminalObserver(Terminal& term, bool quiet) : term_(term), quiet_(quiet) {}
  ~TerminalObserver() override { stop(); }
  void begin_input(const std::string& shown, ByteSource& src, const Progress& progress) override;
  void end_input(const std::string& shown) override;
  void diagnostic(const Diagnostic& d, const std::string& line) override;
  // Adds the model requests to the progress line.
  void set_models(const ModelService* m) { models_ = m; }

 private:
  const ModelService* models_ = nullptr;
  void stop();
  Terminal& term_;
  bool quiet_;
  std::atomic<bool> done_{false};
  std::thread ticker_;
};

// The outcome's warnings and errors on stderr ("rsq: warning: ...").
void print_messages(Terminal& term, const RunOutcome& out, bool quiet);

}  // namespace rsq::cli
