// Fuzz target for every loader of user-supplied JSON: gate rules, utility
// profiles, shard reports (rsq merge), gate baselines and correlate's report
// input. The first byte picks the loader, the rest is the file's text.
// Invariant: a loader either succeeds or throws rsq::Error — never another
// exception (which main would report as an internal error, exit 5), never a
// crash. Builds as a libFuzzer target or with replay_main.cc under ctest.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <unistd.h>

#include "rsq/correlate.h"
#include "rsq/error.h"
#include "rsq/gate.h"
#include "rsq/pipeline.h"
#include "rsq/profile.h"
#include "rsq/report.h"
#include "rsq/source.h"

namespace {

const rsq::DatasetReport& sample_dataset() {
  static const rsq::DatasetReport d = [] {
    auto src = rsq::memory_source(
        "{\"question\":\"q?\",\"reasoning\":\"one two three. four five.\",\"answer\":\"5\"}\n"
        "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":\"<think>a b</think>c\"}]}\n");
    rsq::PipelineOptions po;
    return rsq::score_source(*src, "s.jsonl", po, [](const rsq::Diagnostic&) {});
  }();
  return d;
}

std::string temp_path() {
  static std::string p = [] {
    char name[] = "/tmp/rsq-fuzz-loaders-XXXXXX";
    int fd = mkstemp(name);
    if (fd >= 0) close(fd);
    return std::string(name);
  }();
  return p;
}

void run(uint8_t which, const std::string& text) {
  switch (which % 5) {
    case 0:
      rsq::parse_gate_rules(text, "rules.json");
      break;
    case 1:
      rsq::parse_profile(text, "profile.json");
      break;
    case 2:
      rsq::report_from_json(rsq::parse_json_text(text, "shard.json", rsq::ErrorKind::data), "shard.json");
      break;
    case 3: {
      auto base = rsq::parse_json_text(text, "base.json", rsq::ErrorKind::usage);
      rsq::ReportSettings now;
      rsq::check_baseline_compatible(base, now);
      auto rules = rsq::parse_gate_rules(
          "{\"rsq_gate\": 1, \"rules\": [{\"metric\": \"reasoning_words\", \"max_change_pct\": 5},"
          " {\"metric\": \"truncated\", \"max_rise\": 0.1}]}",
          "r.json");
      if (base.contains("datasets") && base["datasets"].is_array() && !base["datasets"].empty())
        rsq::evaluate_gate(rules, sample_dataset(), &base["datasets"][0]);
      break;
    }
    case 4: {
      FILE* f = std::fopen(temp_path().c_str(), "wb");
      if (!f) return;
      std::fwrite(text.data(), 1, text.size(), f);
      std::fclose(f);
      rsq::MetricTable t;
      rsq::load_metrics_file(temp_path(), t);
      break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    run(data[0], text);
  } catch (const rsq::Error&) {
    // refused with a message: fine
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz invariant violated: loader %u threw a non-rsq exception: %s\n", data[0] % 5u, e.what());
    std::abort();
  }
  return 0;
}
