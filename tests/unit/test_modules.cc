// Unit tests for modules that were covered only end to end: settings
// (CompressorSpec, compare_settings), the --where language, the JSON checker,
// sources, the report's JSON round trip, the renderers, gate rules and
// correlate. Each test names the behaviour it pins.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <unistd.h>

#include "input/json_check.h"
#include "rsq/correlate.h"
#include "rsq/emit.h"
#include "rsq/error.h"
#include "rsq/gate.h"
#include "rsq/pipeline.h"
#include "rsq/report.h"
#include "rsq/settings.h"
#include "rsq/source.h"
#include "rsq/where.h"

using namespace rsq;

namespace {

const std::string kSample =
    "{\"question\":\"How many apples?\",\"reasoning\":\"Tom has 3 apples. He buys 2 more. So 5.\",\"answer\":\"5\"}\n"
    "{\"messages\":[{\"role\":\"user\",\"content\":\"2+2?\"},{\"role\":\"assistant\",\"content\":\"<think>2 plus 2 is 4."
    " Wait, check: 4.</think>The answer is \\\\boxed{4}.\"}]}\n"
    "not json\n"
    "\n"
    "{\"question\":\"q\",\"answer\":\"steps here\\n#### 7\"}\n";

Report score_text(const std::string& text, bool* had_diag = nullptr) {
  auto src = memory_source(text);
  PipelineOptions po;
  po.threads = 2;
  Report r;
  r.datasets.push_back(score_source(*src, "mem.jsonl", po, [&](const Diagnostic&) {
    if (had_diag) *had_diag = true;
  }));
  return r;
}

std::string temp_file(const std::string& content) {
  char name[] = "/tmp/rsq-unit-XXXXXX";
  int fd = mkstemp(name);
  REQUIRE(fd >= 0);
  REQUIRE(write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()));
  close(fd);
  return name;
}

}  // namespace

TEST_CASE("CompressorSpec parses, renders and compares", "[settings]") {
  CHECK(CompressorSpec::parse("zstd").str() == "zstd:3");
  CHECK(CompressorSpec::parse("zlib").str() == "zlib:6");
  CHECK(CompressorSpec::parse("zlib:0").str() == "zlib:0");
  CHECK(CompressorSpec::parse("zstd:19") == CompressorSpec{Codec::zstd, 19});
  CHECK(CompressorSpec::parse("zstd:3.0").str() == "zstd:3");
  for (const char* bad : {"zstd:0", "zstd:20", "zlib:10", "lz4", "zstd:", "zstd:x", "zstd:1e400", "zstd:2.5", ""})
    CHECK_THROWS_AS(CompressorSpec::parse(bad), Error);
}

TEST_CASE("compare_settings names the first difference", "[settings]") {
  ReportSettings a, b;
  CHECK(!compare_settings(a, b, true));
  b.compressor = CompressorSpec::parse("zlib:6");
  auto d = compare_settings(a, b, true);
  REQUIRE(d);
  CHECK(d->field == "compressor");
  CHECK(d->a == "zstd:3");
  CHECK(d->b == "zlib:6");
  b = a;
  b.reasoning_pointer = "/trace";
  REQUIRE(compare_settings(a, b, true));
  CHECK(compare_settings(a, b, true)->field == "reasoning_pointer");
  b = a;
  b.metrics = MetricSelection::parse("verbosity");
  CHECK(compare_settings(a, b, true)->field == "metrics");
  CHECK(!compare_settings(a, b, false));  // a gate baseline may hold more metrics
  CHECK(compare_settings(a, b, true)->phrase("all metrics") == "all metrics");
}

TEST_CASE("where expressions: precedence, NaN and errors", "[where]") {
  std::vector<double> row(all_metrics().size(), std::numeric_limits<double>::quiet_NaN());
  auto col = [](const char* n) { return static_cast<size_t>(find_metric(n) - all_metrics().data()); };
  row[col("reasoning_words")] = 60;
  row[col("truncated")] = 0;
  row[col("redundancy_ratio")] = 0.5;
  std::vector<char> failed;
  CHECK(FilterExpr::parse("reasoning_words >= 50 && !truncated").evaluate(row.data(), failed));
  CHECK(FilterExpr::parse("reasoning_words > 100 || redundancy_ratio < 0.6").evaluate(row.data(), failed));
  CHECK(!FilterExpr::parse("!(reasoning_words > 10)").evaluate(row.data(), failed));
  // A metric that is not applicable (NaN) makes a comparison false, also its negation's operand.
  CHECK(!FilterExpr::parse("lexical_flow >= 0").evaluate(row.data(), failed));
  CHECK(!FilterExpr::parse("lexical_flow < 0").evaluate(row.data(), failed));
  auto e = FilterExpr::parse("reasoning_words < 10 && redundancy_ratio < 0.9 && truncated");
  CHECK(!e.evaluate(row.data(), failed));
  CHECK(failed == std::vector<char>{1, 0, 1});
  CHECK(e.clauses().size() == 3);
  CHECK(e.metrics_used().names() == std::vector<std::string>{"redundancy_ratio", "reasoning_words", "truncated"});
  for (const char* bad : {"", "reasoning_words >", "nosuch < 1", "(reasoning_words > 1", "a && && b", "reasoning_words >> 1"})
    CHECK_THROWS_AS(FilterExpr::parse(bad), Error);
}

TEST_CASE("the JSON checker says where and why", "[json_check]") {
  CHECK(check_json("{\"a\": [1, 2, {\"b\": null}]}").ok);
  auto p = check_json("{\"a\": 1,}");
  CHECK(!p.ok);
  CHECK(p.offset == 8);
  CHECK(p.code == "bad-json");
  p = check_json("{\"a\": \"x");
  CHECK(!p.ok);
  CHECK(p.message.find("unterminated") != std::string::npos);
  p = check_json("{\"a\": \"\xC3\x28\"}");
  CHECK(!p.ok);
  CHECK(p.code == "bad-utf8");
  CHECK(first_invalid_utf8("ok \xC3\x28") == 3);
  CHECK(first_invalid_utf8("za\xC5\xBC\xC3\xB3\xC5\x82\xC4\x87") == std::string_view::npos);
}

TEST_CASE("sources: memory, missing files, directories", "[source]") {
  auto s = memory_source("abc");
  char b[8];
  CHECK(s->read(b, sizeof b) == 3);
  CHECK(s->read(b, sizeof b) == 0);
  CHECK(s->damage().empty());
  CHECK(s->compression() == Compression::none);
  try {
    open_source("/nonexistent/rsq-unit-test.jsonl");
    FAIL("opened a missing file");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::io);
  }
  CHECK_THROWS_AS(open_source("/tmp"), Error);
}

TEST_CASE("a report survives its JSON with state exactly", "[report]") {
  Report r = score_text(kSample);
  const DatasetReport& d = r.datasets[0];
  CHECK(d.lines == 5);
  CHECK(d.lines == d.scored + d.skipped_total() + d.rejected_total());
  CHECK(d.rejected.at("bad-json") == 1);
  CHECK(d.skipped.at("blank-line") == 1);
  const auto j = report_to_json(r, true);
  Report back = report_from_json(nlohmann::json::parse(j.dump()), "round-trip");
  CHECK(report_to_json(back, true).dump() == j.dump());
  // Merging a report into an empty one gives the same report.
  DatasetReport m;
  m.input = d.input;
  m.framing = d.framing;
  m.compression = d.compression;
  merge_dataset(m, back.datasets[0]);
  Report merged = back;
  merged.datasets[0] = m;
  CHECK(report_to_json(merged, true).dump() == j.dump());
  CHECK_THROWS_AS(report_from_json(nlohmann::json::parse("{\"schema_version\": 99, \"datasets\": []}"), "x"), Error);
  CHECK_THROWS_AS(report_from_json(nlohmann::json::parse("[]"), "x"), Error);
}

TEST_CASE("renderers agree on what they show", "[emit]") {
  Report r = score_text(kSample);
  EmitOptions eo;
  eo.format = Format::csv;
  std::string csv = emit_report(r, eo);
  CHECK(csv.rfind("input,metric,count,mean,std,min,p10,p50,p90,p99,max\n", 0) == 0);
  size_t rows = 0;
  for (char c : csv) rows += c == '\n';
  CHECK(rows == 1 + MetricSelection().count());  // the default: every offline metric
  eo.format = Format::tsv;
  CHECK(emit_report(r, eo).find("input\tmetric\t") == 0);
  eo.format = Format::table;
  std::string t = emit_report(r, eo);
  CHECK(t.find("records 5   scored 3   skipped 1   rejected 1") != std::string::npos);
  CHECK(t.find("\x1b[") == std::string::npos);
  eo.color = true;
  CHECK(emit_report(r, eo).find("\x1b[1m") != std::string::npos);
  eo.format = Format::markdown;
  CHECK(emit_report(r, eo).find("| metric | count | mean |") != std::string::npos);
  CHECK(parse_format("json") == Format::json);
  CHECK_THROWS_AS(parse_format("yaml"), Error);
  CHECK(shortest(0.1) == "0.1");
  CHECK(shortest(std::nan("")).empty());
}

TEST_CASE("gate rules: parsing, evaluation, baseline and renderings", "[gate]") {
  CHECK_THROWS_AS(parse_gate_rules("{\"rsq_gate\": 1, \"rules\": [{\"metric\": \"reasoning_words\"}]}", "r.json"), Error);
  CHECK_THROWS_AS(parse_gate_rules("{\"rsq_gate\": 1, \"rules\": [{\"metric\": \"reasoning_words\", \"min\": 2, \"max\": 1}]}", "r.json"), Error);
  CHECK_THROWS_AS(parse_gate_rules("{\"rsq_gate\": 1, \"rules\": [{\"metric\": \"reasoning_words\", \"min\": 1, \"oops\": 1}]}", "r.json"), Error);
  CHECK_THROWS_AS(parse_gate_rules("{\"rsq_gate\": 1, \"rules\": [", "r.json"), Error);
  auto rules = parse_gate_rules(
      "{\"rsq_gate\": 1, \"rules\": [{\"name\": \"long enough\", \"metric\": \"reasoning_words\", \"min\": 3},"
      " {\"name\": \"few truncated\", \"metric\": \"truncated\", \"max\": 0.0},"
      " {\"name\": \"too long\", \"metric\": \"reasoning_words\", \"stat\": \"max\", \"max\": 1}]}",
      "r.json");
  REQUIRE(rules.size() == 3);
  Report r = score_text(kSample);
  GateResult g = evaluate_gate(rules, r.datasets[0], nullptr);
  REQUIRE(g.results.size() == 3);
  CHECK(g.results[0].passed);
  CHECK(g.results[1].passed);
  CHECK(!g.results[2].passed);
  CHECK(g.failed == 1);
  // Against itself as the baseline, a change rule passes.
  auto change = parse_gate_rules("{\"rsq_gate\": 1, \"rules\": [{\"name\": \"stable\", \"metric\": \"reasoning_words\", \"max_change_pct\": 1}]}", "c.json");
  auto base = nlohmann::json::parse(report_to_json(r, false).dump());
  GateResult gc = evaluate_gate(change, r.datasets[0], &base["datasets"][0]);
  CHECK(gc.failed == 0);
  CHECK_NOTHROW(check_baseline_compatible(base, r.settings));
  ReportSettings other = r.settings;
  other.words = "icu";
  CHECK_THROWS_AS(check_baseline_compatible(base, other), Error);
  std::string junit = emit_gate(g, "junit");
  CHECK(junit.find("failures=\"1\"") != std::string::npos);
  CHECK(emit_gate(g, "github").find("::error title=rsq gate: too long::") != std::string::npos);
  CHECK(emit_gate(g, "markdown").find("**FAIL**") != std::string::npos);
}

TEST_CASE("correlate: a monotone metric has rho 1, files are strict", "[correlate]") {
  std::string m = temp_file("dataset,redundancy_ratio,reasoning_words\na,0.1,10\nb,0.2,30\nc,0.3,20\nd,0.4,40\n");
  std::string res = temp_file("dataset,model,benchmark,score\na,m,bench,1\nb,m,bench,2\nc,m,bench,3\nd,m,bench,4\n");
  MetricTable t;
  load_metrics_file(m, t);
  CHECK(t.datasets == std::vector<std::string>{"a", "b", "c", "d"});
  auto rows = load_results_file(res);
  CorrelationReport cr = correlate(t, rows);
  bool seen = false;
  for (const auto& c : cr.cells)
    if (c.metric == "redundancy_ratio") {
      seen = true;
      CHECK(c.spearman == Approx(1.0));
      CHECK(c.kendall == Approx(1.0));
      CHECK(c.n == 4);
    } else {
      CHECK(c.spearman == Approx(0.8));
    }
  CHECK(seen);
  CHECK(emit_correlation(cr, "csv").find("redundancy_ratio") != std::string::npos);
  Profile p = profile_from_correlation(cr, t, "m");
  CHECK(!p.metrics.empty());
  std::string dup = temp_file("dataset,redundancy_ratio\na,0.1\na,0.2\n");
  MetricTable t2;
  CHECK_THROWS_AS(load_metrics_file(dup, t2), Error);
  CHECK_THROWS_AS(rename_dataset(t, "zz", "yy"), Error);
  for (const auto& f : {m, res, dup}) std::remove(f.c_str());
}
