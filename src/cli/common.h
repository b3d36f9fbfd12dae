// common.h — the options every record-reading subcommand shares (one option
// group instead of copies) and their translation into PipelineOptions.
#pragma once
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rsq/pipeline.h"
#include "rsq/report.h"
#include "rsq/error.h"
#include "output.h"

namespace rsq::cli {

struct InputOptions {
  std::vector<std::string> inputs;
  unsigned threads = 0;
  bool quiet = false;
  uint64_t max_bad_lines = 0;
  uint64_t max_line_bytes = uint64_t{64} << 20;
  uint64_t max_diagnostics = 10;
  std::string compressor = "zstd:3";
  std::string words = "fast";
  int stem_prefix = 0;
  std::string question_ptr, reasoning_ptr, answer_ptr;
  std::vector<std::string> think_tags;
};

void add_input_options(CLI::App* c, InputOptions& o);
// Validates and converts; throws rsq::Error(usage).
PipelineOptions pipeline_options(const InputOptions& o);
std::vector<std::string> resolve_inputs(const InputOptions& o);


// Parses a file as JSON (rsq::Error(bad_json_kind) naming the file and the
// line:column); rsq::read_file (rsq/report.h) reads it.
nlohmann::json read_json_file(const std::string& path, ErrorKind bad_json_kind);

// Exit code for `bad` unparseable records against --max-bad-lines, with the
// message on stderr ("N record(s) <what>, more than --max-bad-lines=M").
ExitCode bad_lines_verdict(uint64_t bad, const InputOptions& o, const char* what);

// Runs one input through the pipeline with diagnostics on stderr, capped per code.
DatasetReport run_input(ByteSource& src, const std::string& input, const PipelineOptions& po, const InputOptions& o);

}  // namespace rsq::cli
