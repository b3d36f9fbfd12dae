// The pipeline: every record accounted for, identical reports for any thread
// count and chunk size, diagnostics in input order.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "helpers.h"
#include "rsq/emit.h"

using namespace rsq;
using namespace rsq::test;

static std::string slurp(const std::string& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

static std::string json_of(const DatasetReport& d) {
  Report r;
  r.datasets.push_back(d);
  EmitOptions o;
  o.format = Format::json;
  o.include_state = true;
  return emit_report(r, o);
}

TEST_CASE("report is byte-identical for any -j and chunk size", "[pipeline]") {
  std::string data = slurp(std::string(RSQ_SOURCE_DIR) + "/data/samples/skythought-math500-excerpt.jsonl") +
                     slurp(std::string(RSQ_SOURCE_DIR) + "/data/samples/mixed-layouts.jsonl") +
                     slurp(std::string(RSQ_SOURCE_DIR) + "/data/samples/gsm8k-test-excerpt.jsonl");
  REQUIRE(data.size() > 10000);
  std::string ref = json_of(score_bytes(data, 1));
  for (unsigned j : {2u, 3u, 8u})
    for (size_t block : {size_t{64}, size_t{4096}, size_t{1} << 20}) {
      INFO("threads " << j << " block " << block);
      REQUIRE(json_of(score_bytes(data, j, block)) == ref);
    }
}

TEST_CASE("every line is scored, skipped or rejected", "[pipeline]") {
  std::string data =
      "{\"question\":\"q\",\"reasoning\":\"r r r\",\"answer\":\"a\"}\n"
      "\n"
      "{broken\n"
      "[1]\n"
      "{\"unrelated\":1}\n"
      "{\"question\":\"q\",\"answer\":\"<think>t</think>a\"}\n";
  std::vector<Diagnostic> diags;
  auto d = score_bytes(data, 4, 64, &diags);
  CHECK(d.lines == 6);
  CHECK(d.scored == 2);
  CHECK(d.skipped_total() == 2);
  CHECK(d.rejected_total() == 2);
  CHECK(d.lines == d.scored + d.skipped_total() + d.rejected_total());
  REQUIRE(diags.size() == 2);
  CHECK(diags[0].line == 3);
  CHECK(diags[0].code == "bad-json");
  CHECK(diags[1].line == 4);
  CHECK(diags[1].code == "not-object");
}
