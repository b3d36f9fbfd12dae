// Shared CLI option groups and the terminal observer (see common.h).
#include "common.h"

#include <chrono>
#include <cstdio>

namespace rsq::cli {

void add_input_options(CLI::App* c, InputOptions& o) {
  InputRequest& r = o.r;
  c->add_option("inputs", r.inputs, "JSONL or JSON files (.gz, .zst detected by content); '-' or none = stdin");
  c->add_option("-j,--threads", r.threads, "Worker threads (default: all cores)")->check(CLI::Range(1u, 1024u))->envname("RSQ_THREADS");
  c->add_flag("-q,--quiet", o.quiet, "No progress, diagnostics or summary on stderr (counts stay in the output)");
  c->add_option("--max-bad-lines", r.max_bad_lines, "Rejected records (bad JSON, ...) tolerated before exit code 3")->capture_default_str();
  c->add_option("--max-line-bytes", r.max_line_bytes, "Longest record read; longer ones are rejected (line-too-long)")->check(CLI::Range(uint64_t{1024}, uint64_t{1} << 34))->capture_default_str();
  c->add_option("--max-diagnostics", r.max_diagnostics, "Diagnostics printed per code and input; the rest are counted")->capture_default_str();
  c->add_option("--compressor", r.compressor, "Redundancy compressor: zstd:LEVEL (1-19) or zlib:LEVEL (0-9; zlib:6 = the paper's Python figure)")->capture_default_str();
  c->add_option("--words", r.words, "Word segmentation: fast (UAX #29 approximation) or icu (ICU word break)")->check(CLI::IsMember({"fast", "icu"}))->capture_default_str();
  c->add_option("--stem-prefix", r.stem_prefix, "Alignment compares the first N code points of words")->check(CLI::Range(0, 64));
  c->add_option("--question", r.question_pointer, "JSON Pointer to the question (overrides layout detection)");
  c->add_option("--reasoning", r.reasoning_pointer, "JSON Pointer to the reasoning trace");
  c->add_option("--answer", r.answer_pointer, "JSON Pointer to the answer (or the response holding a tagged trace)");
  c->add_option_function<std::string>(
       "--think-tags", [&r](const std::string& s) { r.think_tags.push_back(s); }, "Extra tag pair OPEN,CLOSE for inline traces (repeatable)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->trigger_on_parse();
}

InputRequest input_request(const InputOptions& o) {
  InputRequest r = o.r;
  if (!r.threads) r.threads = std::max(1u, std::thread::hardware_concurrency());
  if (r.inputs.empty()) {
    if (stdin_is_tty()) throw Error(ErrorKind::usage, "no input: give one or more files, or pipe JSONL to standard input");
    r.inputs.push_back("-");
  }
  if (std::count(r.inputs.begin(), r.inputs.end(), "-") > 1)
    throw Error(ErrorKind::usage, "standard input ('-') can be given only once");
  return r;
}

void add_ui_options(CLI::App* c, UiOptions& o, bool with_progress) {
  c->add_option("--color", o.color, "Colour on stderr")->check(CLI::IsMember({"auto", "always", "never"}))->capture_default_str();
  if (with_progress)
    c->add_option("--progress", o.progress, "Progress line on stderr")
        ->check(CLI::IsMember({"auto", "always", "never"}))
        ->capture_default_str();
}

When when(const std::string& s) { return s == "always" ? When::always : s == "never" ? When::never : When::auto_; }

namespace {

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

}  // namespace

void TerminalObserver::begin_input(const std::string& shown, ByteSource& src, const Progress& prog) {
  stop();
  if (!term_.progress_enabled()) return;
  done_ = false;
  ticker_ = std::thread([this, shown, &src, &prog] {
    auto t0 = std::chrono::steady_clock::now();
    while (!done_.load()) {
      for (int k = 0; k < 5 && !done_.load(); ++k) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (done_.load()) break;
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      double b = static_cast<double>(prog.bytes.load());
      std::string line = "rsq: " + shown + ": " + human_bytes(b) + "  " +
                         std::to_string(static_cast<uint64_t>(static_cast<double>(prog.records.load()) / std::max(secs, 1e-3))) +
                         " rec/s";
      uint64_t total = src.raw_size(), used = src.raw_consumed();
      if (total && used && secs > 0.5) {
        double eta = secs * (static_cast<double>(total) / static_cast<double>(used) - 1);
        char e[48];
        std::snprintf(e, sizeof e, "  %.0f%%  ETA %.0fs", 100.0 * static_cast<double>(used) / static_cast<double>(total), eta);
        line += e;
      }
      term_.progress(line);
    }
  });
}

void TerminalObserver::stop() {
  done_ = true;
  if (ticker_.joinable()) {
    ticker_.join();
    term_.clear_progress();
  }
}

void TerminalObserver::end_input(const std::string&) { stop(); }

void TerminalObserver::diagnostic(const Diagnostic& d, const std::string& line) {
  if (!quiet_ || (d.line == 0 && d.severity == Severity::error)) term_.diagnostic(line);
}

void print_messages(Terminal& term, const RunOutcome& out, bool quiet) {
  // -q silences warnings; the reason for a non-zero exit is always shown
  // (as ripgrep's -q still prints errors).
  for (const auto& m : out.messages)
    if (m.level == Message::error || !quiet) term.message((m.level == Message::error ? "rsq: error: " : "rsq: warning: ") + m.text);
}

}  // namespace rsq::cli
