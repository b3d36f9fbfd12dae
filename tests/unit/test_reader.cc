// Reader: framing, line numbers, CRLF/BOM/no final newline, long lines,
// compressed input, JSON array and document framing, and chunk-size
// invariance against a naive line splitter.
#include <zlib.h>
#include <zstd.h>

#include <catch2/catch.hpp>
#include <random>

#include "helpers.h"

using namespace rsq;
using namespace rsq::test;

static std::string zstd_compress(const std::string& s) {
  std::string out(ZSTD_compressBound(s.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), s.data(), s.size(), 3);
  out.resize(n);
  return out;
}

static std::string gzip_compress(const std::string& s) {
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, s.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(s.data()));
  zs.avail_in = static_cast<uInt>(s.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

TEST_CASE("jsonl lines with numbers, CRLF, BOM and no final newline", "[reader]") {
  auto f = frame("\xEF\xBB\xBF{\"a\":1}\r\n{\"b\":2}\n\n{\"c\":3}");
  REQUIRE(f.records == std::vector<std::string>{"{\"a\":1}", "{\"b\":2}", "", "{\"c\":3}"});
  REQUIRE(f.lines == std::vector<uint64_t>{1, 2, 3, 4});
}

TEST_CASE("empty input has no records", "[reader]") {
  auto f = frame("");
  REQUIRE(f.records.empty());
  REQUIRE(f.rejects.empty());
}

TEST_CASE("chunk size does not change framing", "[reader]") {
  std::mt19937 rng(7);
  std::string data;
  std::vector<std::string> expect;
  for (int i = 0; i < 300; ++i) {
    std::string line = "{\"k\":\"" + std::string(rng() % 200, 'x') + "\"}";
    data += line + (i % 7 == 0 ? "\r\n" : "\n");
    expect.push_back(line);
  }
  for (size_t block : {64, 65, 100, 333, 4096, 1 << 20}) {
    auto f = frame(data, block);
    REQUIRE(f.records == expect);
    for (size_t i = 0; i < f.lines.size(); ++i) REQUIRE(f.lines[i] == i + 1);
  }
}

TEST_CASE("a line over the cap is rejected and the rest survives", "[reader]") {
  std::string big(5000, 'a');
  std::string data = "{\"x\":1}\n\"" + big + "\"\n{\"y\":2}\n";
  for (size_t block : {64, 1000, 1 << 20}) {
    auto f = frame(data, block, 1024);
    REQUIRE(f.records == std::vector<std::string>{"{\"x\":1}", "{\"y\":2}"});
    REQUIRE(f.lines == std::vector<uint64_t>{1, 3});
    REQUIRE(f.rejects == std::vector<std::string>{"2:line-too-long"});
  }
}

TEST_CASE("zstd and gzip are detected by magic and streamed", "[reader]") {
  std::string data;
  for (int i = 0; i < 1000; ++i) data += "{\"i\":" + std::to_string(i) + "}\n";
  for (const std::string& packed : {zstd_compress(data), gzip_compress(data), gzip_compress(data) + gzip_compress(data)}) {
    auto f = frame(packed, 512);
    REQUIRE(f.records.size() % 1000 == 0);
    REQUIRE(f.records[999] == "{\"i\":999}");
    REQUIRE(f.input_errors.empty());
  }
}

TEST_CASE("truncated zstd keeps the complete records and reports the damage", "[reader]") {
  std::string data;
  for (int i = 0; i < 40000; ++i) data += "{\"i\":" + std::to_string(i) + ",\"pad\":\"" + std::string(i % 50, 'p') + "\"}\n";
  std::string packed = zstd_compress(data);
  packed.resize(packed.size() / 2);
  auto f = frame(packed, 4096);
  REQUIRE(!f.records.empty());
  REQUIRE(f.records.size() < 40000);
  REQUIRE(f.input_errors == std::vector<std::string>{"truncated-input"});
  for (size_t i = 0; i < f.records.size(); ++i) REQUIRE(f.lines[i] == i + 1);
}

TEST_CASE("truncated gzip is reported", "[reader]") {
  std::string data;
  for (int i = 0; i < 500; ++i) data += "{\"i\":" + std::to_string(i) + "}\n";
  std::string packed = gzip_compress(data);
  packed.resize(packed.size() - 10);
  auto f = frame(packed);
  REQUIRE(f.input_errors == std::vector<std::string>{"truncated-input"});
}

TEST_CASE("top-level JSON array: each element is a record, with line and column", "[reader]") {
  std::string data = "[\n  {\"a\": \"x]}\\\"\"},\n  {\"b\": [1, 2]}, {\"c\": {}}\n]\n";
  for (size_t block : {64, 70, 1 << 20}) {
    auto f = frame(data, block);
    REQUIRE(f.records == std::vector<std::string>{"{\"a\": \"x]}\\\"\"}", "{\"b\": [1, 2]}", "{\"c\": {}}"});
    REQUIRE(f.lines == std::vector<uint64_t>{2, 3, 3});
    REQUIRE(f.cols == std::vector<uint64_t>{3, 3, 18});
    REQUIRE(f.input_errors.empty());
  }
}

TEST_CASE("unclosed JSON array is an input error and the open element a reject", "[reader]") {
  auto f = frame("[\n{\"a\":1},\n{\"b\":");
  REQUIRE(f.records == std::vector<std::string>{"{\"a\":1}"});
  REQUIRE(f.rejects == std::vector<std::string>{"3:bad-json"});
  REQUIRE(f.input_errors == std::vector<std::string>{"bad-json"});
}

TEST_CASE("pretty-printed document: the records member is found", "[reader]") {
  std::string data =
      "{\n  \"model_name\": \"m\",\n  \"contexts\": {\"c1\": {\"t\": 1}, \"c2\": {\"t\": 2}, \"c3\": {\"t\": 3}},\n"
      "  \"questions\": {\n    \"q1\": {\"question\": \"a\"},\n    \"q2\": {\"question\": \"b\"}\n  }\n}\n";
  auto f = frame(data);
  REQUIRE(f.records == std::vector<std::string>{"{\"question\": \"a\"}", "{\"question\": \"b\"}"});
  REQUIRE(f.lines == std::vector<uint64_t>{5, 6});
}

TEST_CASE("tiny lines: a chunk holds at most kMaxChunkRecords records and its buffer stays a block", "[reader]") {
  // 200,000 blank lines and "{}" lines: before the cap one chunk held every
  // line of its block (40-byte spans each), and the carry then grew per read.
  for (const std::string unit : {std::string("\n"), std::string("{}\n")}) {
    std::string data;
    for (int i = 0; i < 200000; ++i) data += unit;
    auto src = memory_source(data);
    ReaderOptions o;
    o.block_bytes = 1 << 16;
    Reader r(*src, o);
    Chunk c;
    size_t records = 0, biggest_buf = 0;
    uint64_t next_line = 1;
    while (r.next(c)) {
      REQUIRE(c.spans.size() <= kMaxChunkRecords);
      for (const auto& s : c.spans) REQUIRE(s.line == next_line++);
      records += c.spans.size();
      biggest_buf = std::max(biggest_buf, c.buf.size());
    }
    CHECK(records == 200000);
    CHECK(biggest_buf <= (size_t{1} << 16) + (size_t{1} << 14) + kParsePadding);
  }
}
