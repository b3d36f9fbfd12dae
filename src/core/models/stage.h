// models/stage.h (internal) — the model stage of the pipeline: a worker's
// chunk of scored records goes through it after the offline pass. It asks
// each selected model-backed family what to send, makes one ModelService
// call per kind for the whole chunk (the service keeps the requests in
// flight concurrently and answers in order), and writes the values into the
// records' rows. Which records the judge sees is a content-hash sample, so
// it depends neither on -j nor on how the input is sharded.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "metrics/model.h"
#include "rsq/metrics.h"
#include "rsq/models.h"
#include "rsq/pipeline.h"

namespace rsq::models {

class Stage {
 public:
  Stage(ModelService& svc, const MetricSelection& sel, const ModelOptions& opt);
  // rows: recs.size() rows of ncols values. Per-record failure codes go to
  // failures[i]; dataset counters (steps, positives, tokens) to counts.
  void run(std::vector<metrics::model::Record>& recs, double* rows, size_t ncols,
           std::vector<std::vector<std::string>>& failures, std::map<std::string, uint64_t>& counts);
  // Whether the judge's sample holds this record (pure; seeded by content).
  static bool sampled(const metrics::model::Record& r, double rate);

 private:
  ModelService& svc_;
  const ModelOptions& opt_;
  bool semantic_, perplexity_, judge_;
  std::vector<uint16_t> sem_cols_, ppl_cols_, judge_cols_;
};

}  // namespace rsq::models
