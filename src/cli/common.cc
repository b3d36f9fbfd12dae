// Shared input options and streaming output (see common.h).
#include "common.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "rsq/error.h"
#include "terminal.h"

namespace rsq::cli {

void add_input_options(CLI::App* c, InputOptions& o) {
  c->add_option("inputs", o.inputs, "JSONL or JSON files (.gz, .zst detected by content); '-' or none = stdin");
  c->add_option("-j,--threads", o.threads, "Worker threads (default: all cores)")->check(CLI::Range(1u, 1024u))->envname("RSQ_THREADS");
  c->add_flag("-q,--quiet", o.quiet, "No progress, diagnostics or summary on stderr (counts stay in the output)");
  c->add_option("--max-bad-lines", o.max_bad_lines, "Rejected records (bad JSON, ...) tolerated before exit code 3")->capture_default_str();
  c->add_option("--max-line-bytes", o.max_line_bytes, "Longest record read; longer ones are rejected (line-too-long)")->check(CLI::Range(uint64_t{1024}, uint64_t{1} << 34))->capture_default_str();
  c->add_option("--max-diagnostics", o.max_diagnostics, "Diagnostics printed per code and input; the rest are counted")->capture_default_str();
  c->add_option("--compressor", o.compressor, "Redundancy compressor: zstd:LEVEL (1-19) or zlib:LEVEL (0-9; zlib:6 = the paper's Python figure)")->capture_default_str();
  c->add_option("--words", o.words, "Word segmentation: fast (UAX #29 approximation) or icu (ICU word break)")->check(CLI::IsMember({"fast", "icu"}))->capture_default_str();
  c->add_option("--stem-prefix", o.stem_prefix, "Alignment compares the first N code points of words")->check(CLI::Range(0, 64));
  c->add_option("--question", o.question_ptr, "JSON Pointer to the question (overrides layout detection)");
  c->add_option("--reasoning", o.reasoning_ptr, "JSON Pointer to the reasoning trace");
  c->add_option("--answer", o.answer_ptr, "JSON Pointer to the answer (or the response holding a tagged trace)");
  c->add_option_function<std::string>(
       "--think-tags", [&o](const std::string& s) { o.think_tags.push_back(s); }, "Extra tag pair OPEN,CLOSE for inline traces (repeatable)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->trigger_on_parse();
}

PipelineOptions pipeline_options(const InputOptions& o) {
  PipelineOptions po;
  po.threads = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  po.reader.max_record_bytes = o.max_line_bytes;
  for (const auto& p : o.think_tags) {
    size_t c = p.find(',');
    if (c == std::string::npos || c == 0 || c + 1 == p.size())
      throw Error(ErrorKind::usage, "--think-tags expects OPEN,CLOSE (e.g. '<think>,</think>'), got '" + p + "'");
    po.record.extra_tags.push_back({p.substr(0, c), p.substr(c + 1)});
  }
  for (const auto* ptr : {&o.question_ptr, &o.reasoning_ptr, &o.answer_ptr})
    if (!ptr->empty() && (*ptr)[0] != '/')
      throw Error(ErrorKind::usage, "JSON Pointer '" + *ptr + "' must start with '/' (e.g. /messages/1/content)");
  po.record.question_pointer = o.question_ptr;
  po.record.reasoning_pointer = o.reasoning_ptr;
  po.record.answer_pointer = o.answer_ptr;
  size_t colon = o.compressor.find(':');
  std::string name = o.compressor.substr(0, colon);
  int level = name == "zlib" ? 6 : 3;
  if (colon != std::string::npos) {
    double v;
    if (!parse_double(o.compressor.substr(colon + 1), v) || v != static_cast<int>(v))
      throw Error(ErrorKind::usage, "--compressor: bad level in '" + o.compressor + "'");
    level = static_cast<int>(v);
  }
  if (name == "zstd" && level >= 1 && level <= 19) {
    po.text.codec = Codec::zstd;
  } else if (name == "zlib" && level >= 0 && level <= 9) {
    po.text.codec = Codec::zlib;
  } else {
    throw Error(ErrorKind::usage, "--compressor: expected zstd:1..19 or zlib:0..9, got '" + o.compressor + "'");
  }
  po.text.level = level;
  po.text.words = o.words == "icu" ? WordMode::icu : WordMode::fast;
  po.text.stem_prefix = o.stem_prefix;
  return po;
}

std::vector<std::string> resolve_inputs(const InputOptions& o) {
  std::vector<std::string> in = o.inputs;
  if (in.empty()) {
    if (stdin_is_tty()) throw Error(ErrorKind::usage, "no input: give one or more files, or pipe JSONL to standard input");
    in.push_back("-");
  }
  if (std::count(in.begin(), in.end(), "-") > 1) throw Error(ErrorKind::usage, "standard input ('-') can be given only once");
  return in;
}

ExitCode bad_lines_verdict(uint64_t bad, const InputOptions& o, const char* what) {
  if (bad <= o.max_bad_lines) return ExitCode::ok;
  if (!o.quiet)
    std::fprintf(stderr, "rsq: error: %llu record(s) %s, more than --max-bad-lines=%llu\n", static_cast<unsigned long long>(bad),
                 what, static_cast<unsigned long long>(o.max_bad_lines));
  return ExitCode::bad_data;
}

nlohmann::json read_json_file(const std::string& path, ErrorKind bad_json_kind) {
  std::string text = read_file(path);
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    size_t line = 1, col = 1;
    for (size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    throw Error(bad_json_kind, path + ":" + std::to_string(line) + ":" + std::to_string(col) + ": invalid JSON");
  }
}

DatasetReport run_input(ByteSource& src, const std::string& input, const PipelineOptions& po, const InputOptions& o) {
  Terminal term(When::auto_, When::never, o.quiet);
  const std::string shown = input == "-" ? "<stdin>" : input;
  std::map<std::string, uint64_t> per_code;
  auto sink = [&](const Diagnostic& d) {
    if (o.quiet || d.code == "framing") return;
    if (++per_code[d.code] <= o.max_diagnostics) term.diagnostic(format_diagnostic(shown, d));
  };
  DatasetReport rep = score_source(src, input, po, sink);
  if (!o.quiet)
    for (auto& [c, n] : per_code)
      if (n > o.max_diagnostics)
        term.diagnostic(format_diagnostic(
            shown, {Severity::note, "", std::to_string(n - o.max_diagnostics) + " more '" + c + "' diagnostics suppressed (--max-diagnostics)", 0, 0}));
  return rep;
}

}  // namespace rsq::cli
