// Test helpers: run the reader or the whole pipeline over in-memory bytes.
#pragma once
#include <string>
#include <vector>

#include "rsq/pipeline.h"
#include "rsq/reader.h"
#include "rsq/source.h"

namespace rsq::test {

struct Framed {
  std::vector<std::string> records;
  std::vector<uint64_t> lines, cols;
  std::vector<std::string> rejects;  // "line:code"
  std::vector<std::string> input_errors;
};

inline Framed frame(const std::string& bytes, size_t block = 1 << 20, size_t max_rec = 64 << 20) {
  auto src = memory_source(bytes);
  ReaderOptions o;
  o.block_bytes = block;
  o.max_record_bytes = max_rec;
  Reader r(*src, o);
  Chunk c;
  Framed f;
  while (r.next(c)) {
    for (const auto& s : c.spans) {
      f.records.emplace_back(c.buf.data() + s.off, s.len);
      f.lines.push_back(s.line);
      f.cols.push_back(s.col);
    }
    for (const auto& d : c.rejects) f.rejects.push_back(std::to_string(d.line) + ":" + d.code);
    for (const auto& d : c.input_errors) f.input_errors.push_back(d.code);
  }
  return f;
}

inline DatasetReport score_bytes(const std::string& bytes, unsigned threads = 1, size_t block = 1 << 20,
                                 std::vector<Diagnostic>* diags = nullptr, TextOptions text = {}) {
  auto src = memory_source(bytes);
  PipelineOptions po;
  po.threads = threads;
  po.reader.block_bytes = block;
  po.text = text;
  return score_source(*src, "mem", po, [&](const Diagnostic& d) {
    if (diags) diags->push_back(d);
  });
}

}  // namespace rsq::test
