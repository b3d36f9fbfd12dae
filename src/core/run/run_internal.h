// run/run_internal.h (internal) — what the use-case functions of src/core/run/
// share: reading one input through the pipeline with its diagnostics capped
// per code, and the --max-bad-lines verdict.
#pragma once
#include <string>

#include "rsq/run.h"

namespace rsq::run_detail {

struct InputPolicy {
  bool framing_note = false;   // show "input is a JSON array ..." (rsq score does)
  bool require_scored = true;  // an input with no scorable record is an error (exit 3; gate says why itself)
};

// The opened inputs of a request, in order (all opened before any work).
std::vector<std::unique_ptr<ByteSource>> open_all(const InputRequest& req);

DatasetReport read_input(ByteSource& src, const std::string& input, const PipelineOptions& po, const InputRequest& in,
                         RunObserver& obs, InputPolicy policy, Progress* progress = nullptr);

// "N record(s) <what>, more than --max-bad-lines=M" as an error, if so.
void bad_lines_verdict(uint64_t bad, const InputRequest& in, const char* what, RunOutcome& out);

std::string shown_name(const std::string& input);

// --metrics with the model endpoints in mind: the default ("all") adds the
// metrics of every configured endpoint; naming a model-backed metric whose
// endpoint is not configured is a usage error that says which flag it needs.
// The same holds for the token metrics and --tokenizer.
MetricSelection select_metrics(const std::string& list, const InputRequest& in);
void check_endpoints(const MetricSelection& sel, const InputRequest& in);
// Whether the run has what a metric's `endpoint` names: a service that
// answers "embed", "lm" or "judge", or a --tokenizer for "tokenizer".
bool endpoint_configured(const InputRequest& in, std::string_view kind);

// Why a profile's unmeasured slots are unmeasured ("semantic_alignment,
// semantic_flow need --embed; syntactic_depth needs --with-metrics").
std::string unmeasured_hint(const Profile& p, const DatasetReport& d);

}  // namespace rsq::run_detail
