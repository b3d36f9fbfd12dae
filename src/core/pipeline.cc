// Reader → workers → in-order aggregator (see rsq/pipeline.h). Determinism
// does not depend on scheduling: each chunk's partial is computed from that
// chunk alone, partials merge in sequence order, and the accumulators merge
// exactly, so any thread count gives the same bytes.
#include "rsq/pipeline.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "rsq/error.h"
#include "rsq/metrics.h"
#include "models/stage.h"

namespace rsq {

namespace {

struct Partial {
  uint64_t lines = 0, scored = 0, bytes = 0;
  std::map<std::string, uint64_t> skipped, rejected, layouts, states, unknown_tags;
  std::vector<MetricSummary> metrics;
  std::vector<MetricSummary> fields;  // --metric-field
  std::vector<Diagnostic> diags;  // in line order
  std::vector<Diagnostic> input_errors;
  std::map<std::string, uint64_t> model_failures, model_counts;
  uint64_t model_failed_records = 0;
};

struct Job {
  Chunk chunk;
  Partial partial;
  std::vector<std::string> outputs;
  std::exception_ptr error;
};

template <class T>
class Queue {
 public:
  void push(T v) {
    {
      std::lock_guard<std::mutex> g(m_);
      q_.push_back(std::move(v));
    }
    cv_.notify_one();
  }
  // Blocks; returns false when closed and empty.
  bool pop(T& out) {
    std::unique_lock<std::mutex> g(m_);
    cv_.wait(g, [&] { return !q_.empty() || closed_; });
    if (q_.empty()) return false;
    out = std::move(q_.front());
    q_.pop_front();
    return true;
  }
  void close() {
    {
      std::lock_guard<std::mutex> g(m_);
      closed_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  std::deque<T> q_;
  bool closed_ = false;
};

// A scored record waiting for the model stage: its own copies of the texts
// (the extractor's buffers are reused per record) and its event, finished
// once the model answers are in.
struct Pending {
  RecordEvent ev;
  RecordText text;
  size_t diag = SIZE_MAX;  // index into Partial::diags (rejections)
  size_t scored = SIZE_MAX;  // index into the model records (scored)
  std::string reason;        // skipped: the extractor's reason outlives its buffer
};

void process(Job& job, RecordExtractor& ex, TextAnalyzer& an, const PipelineOptions& opt, Framing framing) {
  auto metrics = all_metrics();
  const size_t ncols = metrics.size();
  Partial& p = job.partial;
  p = Partial{};
  p.metrics.resize(ncols);
  p.fields.resize(opt.record.metric_fields.size());
  p.bytes = job.chunk.bytes;
  p.input_errors = job.chunk.input_errors;
  const bool render = static_cast<bool>(opt.render);
  if (render) {
    job.outputs.resize(opt.outputs);
    for (auto& o : job.outputs) o.clear();
  }
  // With a model service, records are held until the chunk's model answers
  // are in (one batch per chunk); without one, each is finished at once.
  const bool deferred = opt.models.service != nullptr;
  std::vector<Pending> pending;
  std::vector<metrics::model::Record> mrecs;
  std::vector<double> rows;  // deferred: one row per scored record
  std::vector<double> row(ncols);
  auto emit = [&](RecordEvent ev) {
    if (render) {
      ev.framing = framing;
      opt.render(ev, job.outputs);
    }
  };
  auto finish_scored = [&](RecordEvent& ev, const RecordText& text, const double* vals) {
    ++p.scored;
    ++p.layouts[text.layout];
    ++p.states[trace_state_name(text.state)];
    for (size_t m = 0; m < ncols; ++m) p.metrics[m].add(vals[m]);
    for (size_t k = 0; k < p.fields.size() && k < text.field_values.size(); ++k) p.fields[k].add(text.field_values[k]);
    ev.text = &text;
    ev.values = vals;
    emit(ev);
  };
  auto finish = [&](RecordEvent ev) {
    if (deferred)
      pending.push_back({ev, {}, SIZE_MAX, SIZE_MAX, {}});
    else
      emit(ev);
  };
  // Reader rejections and records interleave by line number.
  size_t ri = 0;
  auto flush_rejects = [&](uint64_t before) {
    while (ri < job.chunk.rejects.size() && job.chunk.rejects[ri].line < before) {
      const auto& r = job.chunk.rejects[ri++];
      ++p.lines;
      ++p.rejected[r.code];
      p.diags.push_back(r);
      RecordEvent ev;
      ev.line = r.line;
      ev.status = RecordStatus::rejected;
      ev.reason = r.code;
      ev.diag = &r;
      finish(ev);
    }
  };
  RecordText text;
  const char* base = job.chunk.buf.data();
  for (const auto& s : job.chunk.spans) {
    flush_rejects(s.line);
    ++p.lines;
    RecordEvent ev;
    ev.raw = std::string_view(base + s.off, s.len);
    ev.line = s.line;
    ev.crlf = s.crlf;
    const char* d = base + s.off;
    bool blank = true;
    for (size_t i = 0; i < s.len; ++i)
      if (d[i] != ' ' && d[i] != '\t' && d[i] != '\r' && d[i] != '\n') {
        blank = false;
        break;
      }
    if (blank) {
      ++p.skipped["blank-line"];
      ev.status = RecordStatus::skipped;
      ev.reason = "blank-line";
      finish(ev);
      continue;
    }
    ExtractResult r = ex.extract(d, s.len, text);
    if (r.status == RecordStatus::rejected) {
      ++p.rejected[r.reason];
      Diagnostic dg = r.diag;
      dg.line = s.line;
      dg.col = (s.line == 0 ? 0 : s.col - 1) + (dg.col ? dg.col : 1);
      p.diags.push_back(std::move(dg));
      ev.status = RecordStatus::rejected;
      ev.reason = p.diags.back().code;
      ev.diag = &p.diags.back();
      if (deferred) {
        pending.push_back({ev, {}, p.diags.size() - 1, SIZE_MAX, {}});
        continue;
      }
      emit(ev);
      continue;
    }
    if (r.status == RecordStatus::skipped) {
      ++p.skipped[r.reason];
      ev.status = RecordStatus::skipped;
      ev.reason = r.reason;
      if (deferred) {
        pending.push_back({ev, {}, SIZE_MAX, SIZE_MAX, r.reason});
        continue;
      }
      emit(ev);
      continue;
    }
    an.analyze(text, row.data());
    // Counted here, while the views into the record's buffers are valid.
    if (!text.unknown_open.empty()) {
      std::string pair(text.unknown_open);
      pair += ',';
      pair += text.unknown_close;
      ++p.unknown_tags[pair];
      text.unknown_open = text.unknown_close = {};
    }
    if (!deferred) {
      finish_scored(ev, text, row.data());
      continue;
    }
    Pending pd{ev, text, SIZE_MAX, mrecs.size(), {}};
    mrecs.push_back({std::string(text.question), std::string(text.reasoning), std::string(text.answer), false});
    rows.insert(rows.end(), row.begin(), row.end());
    pending.push_back(std::move(pd));
  }
  flush_rejects(UINT64_MAX);
  if (deferred) {
    std::vector<std::vector<std::string>> failures;
    models::Stage stage(*opt.models.service, opt.text.metrics, opt.models);
    stage.run(mrecs, rows.data(), ncols, failures, p.model_counts);
    for (auto& pd : pending) {
      if (pd.scored != SIZE_MAX) {
        const size_t k = pd.scored;
        const auto& m = mrecs[k];
        pd.text.question = m.question;
        pd.text.reasoning = m.reasoning;
        pd.text.answer = m.answer;
        for (const auto& f : failures[k]) ++p.model_failures[f];
        p.model_failed_records += !failures[k].empty();
        finish_scored(pd.ev, pd.text, rows.data() + k * ncols);
        continue;
      }
      if (pd.diag != SIZE_MAX) {
        pd.ev.diag = &p.diags[pd.diag];
        pd.ev.reason = p.diags[pd.diag].code;
      }
      if (!pd.reason.empty()) pd.ev.reason = pd.reason;
      emit(pd.ev);
    }
  }
  std::stable_sort(p.diags.begin(), p.diags.end(),
                   [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
}

void merge_into(DatasetReport& d, const Partial& p) {
  d.lines += p.lines;
  d.scored += p.scored;
  d.bytes += p.bytes;
  for (auto& [k, v] : p.skipped) d.skipped[k] += v;
  for (auto& [k, v] : p.rejected) d.rejected[k] += v;
  for (auto& [k, v] : p.layouts) d.layouts[k] += v;
  for (auto& [k, v] : p.states) d.trace_states[k] += v;
  for (auto& [k, v] : p.unknown_tags) d.unknown_tags[k] += v;
  for (size_t m = 0; m < p.metrics.size(); ++m) d.metrics[m].merge(p.metrics[m]);
  for (size_t k = 0; k < p.fields.size(); ++k) d.field_metrics[k].merge(p.fields[k]);
  for (auto& [k, v] : p.model_failures) d.model_failures[k] += v;
  d.model_failed_records += p.model_failed_records;
  for (auto& [k, v] : p.model_counts) d.model_counts[k] += v;
}

}  // namespace

DatasetReport score_source(ByteSource& src, const std::string& name, const PipelineOptions& opt,
                           const DiagnosticSink& sink, Progress* progress) {
  DatasetReport rep;
  rep.input = name;
  rep.compression = compression_name(src.compression());
  rep.metrics.resize(all_metrics().size());
  for (const auto& f : opt.record.metric_fields) rep.field_names.push_back(f.first);
  rep.field_metrics.resize(opt.record.metric_fields.size());

  const unsigned nthreads = std::max(1u, opt.threads);
  const size_t pool_size = 2 * nthreads + 2;

  Queue<Job*> free_q, work_q;
  std::vector<std::unique_ptr<Job>> jobs;
  for (size_t i = 0; i < pool_size; ++i) {
    jobs.push_back(std::make_unique<Job>());
    free_q.push(jobs.back().get());
  }

  std::mutex done_m;
  std::condition_variable done_cv;
  std::map<uint64_t, Job*> done;
  uint64_t total_chunks = UINT64_MAX;  // known once the reader finishes
  std::exception_ptr reader_error;
  std::atomic<bool> stop{false};
  Reader reader(src, opt.reader);

  std::thread reader_thread([&] {
    uint64_t n = 0;
    try {
      for (;;) {
        Job* j;
        if (!free_q.pop(j) || stop.load()) break;
        if (!reader.next(j->chunk)) {
          free_q.push(j);
          break;
        }
        j->chunk.seq = n++;
        if (progress) progress->bytes += j->chunk.bytes;
        work_q.push(j);
      }
    } catch (...) {
      std::lock_guard<std::mutex> g(done_m);
      reader_error = std::current_exception();
    }
    {
      std::lock_guard<std::mutex> g(done_m);
      total_chunks = n;
    }
    done_cv.notify_all();
    work_q.close();
  });

  std::vector<std::thread> workers;
  for (unsigned t = 0; t < nthreads; ++t) {
    workers.emplace_back([&] {
      std::unique_ptr<RecordExtractor> ex;
      std::unique_ptr<TextAnalyzer> an;
      std::exception_ptr setup_error;
      try {
        ex = std::make_unique<RecordExtractor>(opt.record);
        an = std::make_unique<TextAnalyzer>(opt.text);
      } catch (...) {
        setup_error = std::current_exception();
      }
      Job* j;
      while (work_q.pop(j)) {
        j->error = setup_error;
        if (!setup_error) {
          try {
            process(*j, *ex, *an, opt, reader.framing());
          } catch (...) {
            j->error = std::current_exception();
          }
        }
        {
          std::lock_guard<std::mutex> g(done_m);
          done[j->chunk.seq] = j;
        }
        done_cv.notify_all();
      }
    });
  }

  std::exception_ptr failure;
  uint64_t next = 0;
  bool framing_set = false;
  for (;;) {
    Job* j = nullptr;
    {
      std::unique_lock<std::mutex> g(done_m);
      done_cv.wait(g, [&] { return done.count(next) || next >= total_chunks; });
      if (!done.count(next)) break;
      j = done[next];
      done.erase(next);
    }
    if (!framing_set) {
      rep.framing = framing_name(reader.framing());
      framing_set = true;
    }
    if (j->error && !failure) {
      failure = j->error;
      stop = true;
    }
    if (!failure) {
      for (const auto& n : j->chunk.notes) sink(n);
      for (const auto& d : j->partial.diags) sink(d);
      for (const auto& e : j->partial.input_errors) {
        sink(e);
        rep.input_errors.push_back(e.message);
      }
      merge_into(rep, j->partial);
      if (progress) progress->records += j->partial.lines;
      if (opt.render && opt.write) {
        try {
          opt.write(j->outputs);
        } catch (...) {
          failure = std::current_exception();
          stop = true;
        }
      }
    }
    ++next;
    free_q.push(j);
  }
  stop = true;
  free_q.close();
  reader_thread.join();
  for (auto& w : workers) w.join();
  if (!rep.framing.size()) rep.framing = framing_name(reader.framing());
  if (reader_error) std::rethrow_exception(reader_error);
  if (failure) std::rethrow_exception(failure);
  return rep;
}

}  // namespace rsq
