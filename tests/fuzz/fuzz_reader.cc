// Fuzz target for framing + parsing + scoring. Invariants checked on every
// input: no crash; framing identical for a fuzzer-chosen block size and for
// one huge block; every record accounted for; the same report for 1 and 2
// threads. Builds as a libFuzzer target (clang -fsanitize=fuzzer) or with
// replay_main.cc, which replays a corpus under ctest.
#include <algorithm>
#include <cstdint>
#include <tuple>
#include <vector>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "rsq/emit.h"
#include "rsq/pipeline.h"
#include "rsq/reader.h"
#include "rsq/source.h"

namespace {

struct Framed {
  std::string all;
  size_t records = 0, rejects = 0;
};

Framed frame(const std::string& bytes, size_t block) {
  auto src = rsq::memory_source(bytes);
  rsq::ReaderOptions o;
  o.block_bytes = block;
  o.max_record_bytes = 4096;
  rsq::Reader r(*src, o);
  rsq::Chunk c;
  Framed f;
  while (r.next(c)) {
    // A chunk lists its records and its rejects separately; their input
    // order is by position, which is what must not depend on the block size.
    std::vector<std::tuple<uint64_t, uint64_t, std::string>> items;
    for (const auto& s : c.spans) {
      items.emplace_back(s.line, s.col, std::to_string(s.line) + ":" + std::to_string(s.col) + ":" + std::string(c.buf.data() + s.off, s.len));
      ++f.records;
    }
    for (const auto& d : c.rejects) {
      items.emplace_back(d.line, d.col, "R" + std::to_string(d.line) + d.code);
      ++f.rejects;
    }
    std::stable_sort(items.begin(), items.end(), [](const auto& x, const auto& y) {
      return std::tie(std::get<0>(x), std::get<1>(x)) < std::tie(std::get<0>(y), std::get<1>(y));
    });
    for (const auto& it : items) f.all += std::get<2>(it) + "\n";
  }
  return f;
}

std::string report(const std::string& bytes, unsigned threads, size_t block, uint64_t& lines, uint64_t& accounted) {
  auto src = rsq::memory_source(bytes);
  rsq::PipelineOptions po;
  po.threads = threads;
  po.reader.block_bytes = block;
  po.reader.max_record_bytes = 4096;
  auto d = rsq::score_source(*src, "fuzz", po, [](const rsq::Diagnostic&) {});
  lines = d.lines;
  accounted = d.scored + d.skipped_total() + d.rejected_total();
  rsq::Report r;
  r.datasets.push_back(d);
  rsq::EmitOptions eo;
  eo.format = rsq::Format::json;
  eo.include_state = true;
  return rsq::emit_report(r, eo);
}

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  size_t block = 64 + data[0] * 7;
  std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  Framed a = frame(bytes, block), b = frame(bytes, 1 << 20);
  check(a.all == b.all, "framing depends on the block size");
  uint64_t l1, a1, l2, a2;
  std::string r1 = report(bytes, 1, block, l1, a1);
  std::string r2 = report(bytes, 2, 64, l2, a2);
  check(l1 == a1 && l2 == a2, "a record was lost");
  check(r1 == r2, "report depends on threads or block size");
  return 0;
}
