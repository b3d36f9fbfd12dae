// rsq/model_client.h — the rsq_models target's entry point: a ModelService
// (rsq/models.h) over OpenAI-compatible HTTP endpoints (vLLM, llama.cpp's
// llama-server, SGLang, TEI, Ollama; docs/endpoints.md), with the answer
// cache in SQLite. Only the CLI links this; rsq_core builds without it.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "rsq/models.h"

namespace rsq {

struct EndpointConfig {
  std::string url;    // base URL up to /v1, e.g. http://gpu1:8000/v1
  std::string model;  // "" = the one model the server lists
};

struct ModelClientConfig {
  EndpointConfig embed, lm, judge;
  std::string api_key;                  // Bearer token (from RSQ_API_KEY or --api-key-file); never printed
  bool cache = true;
  std::string cache_path;               // "" = ~/.cache/rsq/answers.sqlite
  unsigned concurrency = 8;             // requests in flight
  size_t batch = 32;                    // inputs per embedding / log-probability request
  size_t batch_chars = 64 * 1024;       // and at most this many bytes of text per request
  uint64_t embed_max_chars = 1500;      // embedding pieces: code points (0 = never split)
  std::string embed_prefix;             // prepended to the question before embedding
  std::string judge_lang = "en";        // prompt set
  std::string judge_prompts;            // recorded id of the prompt set and step split (judge_prompt_set)
  double judge_sample = 1;              // share of records judged
  double timeout_s = 300;               // per request attempt
  int retries = 6;
  double backoff_base_s = 0.5;
  double backoff_max_s = 60;
};

struct ModelClientStats {
  uint64_t requests = 0, retries = 0, cache_hits = 0, cache_misses = 0, bytes_sent = 0, in_flight = 0;
};

// Checks every configured endpoint (reachable, serves the model, can do
// what its metrics need: a cheap probe request, itself cached) and opens
// the cache. Throws rsq::Error: io for an unreachable server or cache,
// usage for a server that cannot do what was asked (with what can).
std::unique_ptr<ModelService> open_model_client(const ModelClientConfig& cfg);
// Live counters of a service open_model_client made (progress, summary).
ModelClientStats model_client_stats(const ModelService& s);

// An endpoints file (JSON: {"embed": {"url", "model", "query_prefix",
// "piece_chars"}, "lm": {...}, "judge": {...}, "api_key_file": PATH}) read
// into cfg; flags given on the command line win (the caller applies them
// after). Throws rsq::Error(usage) naming the file and field.
void load_endpoints_file(const std::string& path, ModelClientConfig& cfg);

}  // namespace rsq
