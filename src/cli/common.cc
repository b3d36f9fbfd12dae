// Shared CLI option groups and the terminal observer (see common.h).
#include "common.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace rsq::cli {

void add_input_options(CLI::App* c, InputOptions& o) {
  InputRequest& r = o.r;
  c->add_option("inputs", r.inputs, "JSONL or JSON files (.gz, .zst detected by content); '-' or none = stdin");
  c->add_option("-j,--threads", r.threads, "Worker threads (default: all cores)")->check(CLI::Range(1u, 1024u))->envname("RSQ_THREADS");
  c->add_flag("-q,--quiet", o.quiet, "No progress, diagnostics or summary on stderr (counts stay in the output)");
  c->add_option("--max-bad-lines", r.max_bad_lines, "Rejected records (bad JSON, ...) tolerated before exit code 3")->capture_default_str();
  c->add_option("--max-line-bytes", r.max_line_bytes, "Longest record read; longer ones are rejected (line-too-long)")->check(CLI::Range(uint64_t{1024}, uint64_t{1} << 34))->capture_default_str();
  c->add_option("--max-diagnostics", r.max_diagnostics, "Diagnostics printed per code and input; the rest are counted")->capture_default_str();
  o.compressor = c->add_option("--compressor", r.compressor, "Redundancy compressor: zstd:LEVEL (1-19) or zlib:LEVEL (0-9; zlib:6 = the paper's Python figure)")->capture_default_str();
  c->add_option("--words", r.words, "Word segmentation: fast (UAX #29 approximation) or icu (ICU word break)")->check(CLI::IsMember({"fast", "icu"}))->capture_default_str();
  c->add_option("--stem-prefix", r.stem_prefix, "Alignment compares the first N code points of words")->check(CLI::Range(0, 64));
  c->add_option("--tokenizer", r.tokenizer, "Hugging Face tokenizer.json: adds the *_tokens metrics (docs/tokenizers.md)");
  c->add_option("--name", r.stdin_name, "What standard input is called in reports and diagnostics (default '-')");
  c->add_option("--question", r.question_pointer, "JSON Pointer to the question (overrides layout detection)");
  c->add_option("--reasoning", r.reasoning_pointer, "JSON Pointer to the reasoning trace");
  c->add_option("--answer", r.answer_pointer, "JSON Pointer to the answer (or the response holding a tagged trace)");
  c->add_option_function<std::string>(
       "--shard",
       [&r](const std::string& s) {
         // I/N, 0 <= I < N: this task's share of the one input (docs/cluster.md).
         const size_t slash = s.find('/');
         uint64_t i = 0, n = 0;
         auto whole = [](const std::string& t, uint64_t& v) {
           if (t.empty() || t.size() > 9 || t.find_first_not_of("0123456789") != std::string::npos) return false;
           v = std::stoull(t);
           return true;
         };
         if (slash == std::string::npos || !whole(s.substr(0, slash), i) || !whole(s.substr(slash + 1), n) || n == 0 ||
             i >= n)
           throw CLI::ValidationError("--shard", "expects I/N with 0 <= I < N (e.g. 3/64), got '" + s + "'");
         r.shard_index = i;
         r.shard_count = n;
       },
       "Score only shard I of N of the one (plain JSONL) input: the records starting in its byte range")
      ->type_name("I/N");
  c->add_option_function<std::string>(
       "--think-tags", [&r](const std::string& s) { r.think_tags.push_back(s); }, "Extra tag pair OPEN,CLOSE for inline traces (repeatable)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->trigger_on_parse();

  ModelFlags& m = o.models;
  const char* g = "Model endpoints (docs/endpoints.md)";
  c->add_option("--embed", m.cfg.embed.url, "OpenAI-compatible embeddings endpoint, e.g. http://gpu1:8000/v1 (semantic metrics)")->envname("RSQ_EMBED_URL")->group(g);
  c->add_option("--embed-model", m.cfg.embed.model, "Embedding model id (default: the one the server lists)")->envname("RSQ_EMBED_MODEL")->group(g);
  c->add_option("--embed-query-prefix", m.cfg.embed_prefix, "Text prepended to the question before embedding (e.g. 'zapytanie: ')")->group(g);
  c->add_option("--embed-piece-chars", m.cfg.embed_max_chars, "Longer texts are embedded in pieces of at most N code points, pooled (0 = never split)")->capture_default_str()->group(g);
  c->add_option("--lm", m.cfg.lm.url, "OpenAI-compatible completions endpoint returning prompt log-probabilities (perplexity)")->envname("RSQ_LM_URL")->group(g);
  c->add_option("--lm-model", m.cfg.lm.model, "Language model id")->envname("RSQ_LM_MODEL")->group(g);
  c->add_option("--judge", m.cfg.judge.url, "OpenAI-compatible chat endpoint for the FVCU step judge")->envname("RSQ_JUDGE_URL")->group(g);
  c->add_option("--judge-model", m.cfg.judge.model, "Judge model id")->envname("RSQ_JUDGE_MODEL")->group(g);
  c->add_option("--judge-sample", m.cfg.judge_sample, "Share of records judged: a content-hash sample, the same for any -j or sharding")->check(CLI::Range(0.0, 1.0))->capture_default_str()->group(g);
  c->add_option("--judge-steps", m.judge_steps, "How the trace is split into steps: atomizer (a model request) or lines")->check(CLI::IsMember({"atomizer", "lines"}))->capture_default_str()->group(g);
  c->add_option("--judge-lang", m.cfg.judge_lang, "Judge prompt language (data/prompts/fvcu-LANG.json)")->check(CLI::IsMember({"en", "pl"}))->capture_default_str()->group(g);
  c->add_option("--judge-max-steps", m.judge_max_steps, "A trace with more steps is not judged (counted as judge-too-many-steps)")->capture_default_str()->group(g);
  c->add_option("--endpoints", m.endpoints_file, "JSON file with the endpoints (flags win over it)")->envname("RSQ_ENDPOINTS")->group(g);
  c->add_option("--api-key-file", m.api_key_file, "File whose first line is the API key (else RSQ_API_KEY); never printed")->group(g);
  c->add_option("--cache", m.cfg.cache_path, "Answer cache (SQLite; default ~/.cache/rsq/answers.sqlite)")->envname("RSQ_CACHE")->group(g);
  c->add_flag("--no-cache", m.no_cache, "Neither read nor write the answer cache")->group(g);
  c->add_option("--model-concurrency", m.cfg.concurrency, "Requests in flight")->check(CLI::Range(1u, 256u))->capture_default_str()->group(g);
  c->add_option("--model-batch", m.cfg.batch, "Inputs per embedding or log-probability request")->check(CLI::Range(size_t{1}, size_t{2048}))->capture_default_str()->group(g);
  c->add_option("--model-timeout", m.cfg.timeout_s, "Seconds per request attempt")->check(CLI::Range(0.1, 86400.0))->capture_default_str()->group(g);
  c->add_option("--model-retries", m.cfg.retries, "Further attempts on 429, 5xx, timeouts and resets")->check(CLI::Range(0, 100))->capture_default_str()->group(g);
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
  r.compressor_set = o.compressor && o.compressor->count() > 0;
  ModelClientConfig cfg = o.models.cfg;
  if (!o.models.endpoints_file.empty()) {
    ModelClientConfig file = cfg;
    load_endpoints_file(o.models.endpoints_file, file);
    // Flags win over the file.
    for (auto [f, c] : {std::pair{&file.embed, &cfg.embed}, {&file.lm, &cfg.lm}, {&file.judge, &cfg.judge}}) {
      if (c->url.empty()) c->url = f->url;
      if (c->model.empty()) c->model = f->model;
    }
    if (cfg.embed_prefix.empty()) cfg.embed_prefix = file.embed_prefix;
    if (cfg.api_key.empty()) cfg.api_key = file.api_key;
  }
  if (!o.models.api_key_file.empty()) {
    std::ifstream k(o.models.api_key_file);
    if (!k) throw Error(ErrorKind::usage, "--api-key-file: cannot read '" + o.models.api_key_file + "'");
    std::getline(k, cfg.api_key);
  } else if (cfg.api_key.empty()) {
    if (const char* e = std::getenv("RSQ_API_KEY")) cfg.api_key = e;
  }
  cfg.cache = !o.models.no_cache;
  for (std::string* url : {&cfg.embed.url, &cfg.lm.url, &cfg.judge.url})
    while (!url->empty() && url->back() == '/') url->pop_back();
  if (!cfg.embed.url.empty() || !cfg.lm.url.empty() || !cfg.judge.url.empty()) {
    cfg.judge_prompts = judge_prompt_set(cfg.judge_lang) + "/" + o.models.judge_steps;
    if (!o.service) o.service = open_model_client(cfg);
    r.models.service = o.service.get();
    r.models.judge_sample = cfg.judge_sample;
    r.models.judge_steps = o.models.judge_steps;
    r.models.judge_lang = cfg.judge_lang;
    r.models.judge_max_steps = o.models.judge_max_steps;
  }
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
      if (models_) {
        ModelClientStats ms = model_client_stats(*models_);
        line += "  " + std::to_string(ms.requests) + " requests (" + std::to_string(ms.in_flight) + " in flight, " +
                std::to_string(ms.retries) + " retried), " + std::to_string(ms.cache_hits) + " cached";
      }
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

void print_model_summary(Terminal& term, const InputOptions& o) {
  if (!o.service || o.quiet) return;
  ModelClientStats s = model_client_stats(*o.service);
  term.message("rsq: models: " + std::to_string(s.requests) + " requests (" + std::to_string(s.retries) + " retries), " +
            std::to_string(s.cache_hits) + " answers from the cache, " + human_bytes(static_cast<double>(s.bytes_sent)) +
            " sent");
}

}  // namespace rsq::cli
