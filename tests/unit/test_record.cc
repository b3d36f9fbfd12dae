// Record extraction: the layouts of docs/cli.md, tag splitting, and
// rejections with columns.
#include <catch2/catch.hpp>
#include <cstring>

#include <fstream>
#include <sstream>

#include "input/layouts.h"
#include "rsq/reader.h"
#include "rsq/record.h"

using namespace rsq;

namespace {
struct Ex {
  RecordExtractor ex{RecordOptions{}};
  std::string buf;
  RecordText t;
  ExtractResult run(const std::string& json) {
    buf = json;
    buf.append(kParsePadding, ' ');
    return ex.extract(buf.data(), json.size(), t);
  }
};
}  // namespace

TEST_CASE("split_trace handles the tag states", "[record]") {
  std::string scratch;
  auto s = split_trace("<think>\nA\n</think>\n\nB", {}, scratch);
  REQUIRE(s.state == TraceState::closed);
  REQUIRE(s.trace == "A");
  REQUIRE(s.answer == "B");
  s = split_trace("<think>cut off", {}, scratch);
  REQUIRE(s.state == TraceState::open_only);
  REQUIRE(s.trace == "cut off");
  REQUIRE(s.answer.empty());
  s = split_trace("steps</think>final", {}, scratch);
  REQUIRE(s.state == TraceState::close_only);
  REQUIRE(s.trace == "steps");
  REQUIRE(s.answer == "final");
  s = split_trace("<think>a</think> mid <think>b</think> end", {}, scratch);
  REQUIRE(s.blocks == 2);
  REQUIRE(s.trace == "a\n\nb");
  REQUIRE(s.answer == "end");
  s = split_trace("<|begin_of_thought|>t<|end_of_thought|><|begin_of_solution|>sol<|end_of_solution|>", {}, scratch);
  REQUIRE(s.trace == "t");
  REQUIRE(s.answer == "sol");
  s = split_trace("no tags here \\boxed{42}", {}, scratch);
  REQUIRE(s.state == TraceState::untagged);
  REQUIRE(s.answer == "42");
  s = split_trace("[[t]] x [[/t]] y", {{"[[t]]", "[[/t]]"}}, scratch);
  REQUIRE(s.trace == "x");
  REQUIRE(s.answer == "y");
}

// Issue 11, item 8: the tag shapes the report suggests --think-tags for.
TEST_CASE("the built-in tag walk equals searching each tag (the --think-tags path)", "[record]") {
  // The built-in pairs are found by one walk over the '<' of a response; the
  // same pairs given as extra tags take the plain path (the earliest of one
  // find per tag), which is the reference here.
  const std::vector<TagPair> builtins{{"<think>", "</think>"},
                                      {"<|begin_of_thought|>", "<|end_of_thought|>"},
                                      {"<reasoning>", "</reasoning>"}};
  const char* parts[] = {"<think>", "</think>", "<|begin_of_thought|>", "<|end_of_thought|>", "<reasoning>",
                         "</reasoning>", "<", "<t", "</", "<|", "<r", "<thin", "</reason", "x", " ", "\n",
                         "\\boxed{7}", "<answer>", "</answer>", "<|begin_of_solution|>", "<|end_of_solution|>", "<<"};
  uint64_t seed = 99;
  auto rnd = [&] {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
  };
  for (int round = 0; round < 5000; ++round) {
    std::string r;
    for (size_t k = 0, n = rnd() % 12; k < n; ++k) r += parts[rnd() % (sizeof parts / sizeof *parts)];
    std::string s1, s2;
    TraceSplit a = split_trace(r, {}, s1), b = split_trace(r, builtins, s2);
    INFO(r);
    CHECK(a.state == b.state);
    CHECK(a.blocks == b.blocks);
    CHECK(std::string(a.trace) == std::string(b.trace));
    CHECK(std::string(a.answer) == std::string(b.answer));
  }
}

TEST_CASE("unknown reasoning tags are found in untagged responses", "[record]") {
  using P = std::pair<std::string_view, std::string_view>;
  CHECK(find_unknown_tags("<thought>a</thought> b") == P{"<thought>", "</thought>"});
  CHECK(find_unknown_tags("x <Thinking>a</Thinking>") == P{"<Thinking>", "</Thinking>"});
  CHECK(find_unknown_tags("<scratchpad>a</scratchpad>") == P{"<scratchpad>", "</scratchpad>"});
  CHECK(find_unknown_tags("[THINK]a[/THINK]b") == P{"[THINK]", "[/THINK]"});
  CHECK(find_unknown_tags("<|thinking|>a<|/thinking|>") == P{"<|thinking|>", "<|/thinking|>"});
  CHECK(find_unknown_tags("<|begin_of_reasoning|>a<|end_of_reasoning|>") ==
        P{"<|begin_of_reasoning|>", "<|end_of_reasoning|>"});
  CHECK(find_unknown_tags("<|start_think|>a<|end_think|>") == P{"<|start_think|>", "<|end_think|>"});
  CHECK(find_unknown_tags("<|reflection_start|>a<|reflection_end|>") ==
        P{"<|reflection_start|>", "<|reflection_end|>"});
  CHECK(find_unknown_tags("<cot>a</cot>") == P{"<cot>", "</cot>"});
  // Not reasoning-like, not closed, or opened too late: nothing.
  CHECK(find_unknown_tags("<b>bold</b> and <div>x</div>").first.empty());
  CHECK(find_unknown_tags("<thought> never closed").first.empty());
  CHECK(find_unknown_tags("<cotton>a</cotton>").first.empty());
  CHECK(find_unknown_tags(std::string(5000, 'x') + "<thought>a</thought>").first.empty());
  // The 4 KiB window: a tag opening at its last byte counts, one byte later not.
  CHECK(find_unknown_tags(std::string(4095, 'x') + "<thought>a</thought>") == P{"<thought>", "</thought>"});
  CHECK(find_unknown_tags(std::string(4096, 'x') + "[THINK]a[/THINK]").first.empty());
  // '<' and '[' candidates interleaved: the first reasoning-like one wins.
  CHECK(find_unknown_tags("[1] <b>x</b> [x<y] <cot>a</cot> [THINK]b[/THINK]") == P{"<cot>", "</cot>"});
  CHECK(find_unknown_tags("<<[[<|[THINK]b[/THINK] <cot>a</cot>") == P{"[THINK]", "[/THINK]"});
  // Through the extractor: only untagged responses carry a suggestion.
  Ex e;
  e.run(R"({"prompt":"q","response":"<thought>t</thought> a"})");
  CHECK(e.t.state == TraceState::untagged);
  CHECK(e.t.unknown_open == "<thought>");
  e.run(R"({"prompt":"q","response":"<think>t</think><thought>x</thought> a"})");
  CHECK(e.t.state == TraceState::closed);
  CHECK(e.t.unknown_open.empty());
}

TEST_CASE("layouts are detected", "[record]") {
  Ex e;
  REQUIRE(e.run(R"({"messages":[{"role":"system","content":"s"},{"role":"user","content":"Q"},{"role":"assistant","content":"<think>R</think>A"}]})").status == RecordStatus::scored);
  REQUIRE(std::string(e.t.layout) == "chat-messages");
  REQUIRE(e.t.question == "Q");
  REQUIRE(e.t.reasoning == "R");
  REQUIRE(e.t.answer == "A");

  REQUIRE(e.run(R"({"conversations":[{"from":"human","value":"Q"},{"from":"gpt","value":"<think>R</think>A"}]})").status == RecordStatus::scored);
  REQUIRE(std::string(e.t.layout) == "sharegpt");

  e.run(R"({"question":"Q","answer":"step 1\nstep 2\n#### 72"})");
  REQUIRE(std::string(e.t.layout) == "gsm8k");
  REQUIRE(e.t.reasoning == "step 1\nstep 2");
  REQUIRE(e.t.answer == "72");

  e.run(R"({"problem":"Q","thinking_trajectories":["T"],"attempt":"A"})");
  REQUIRE(e.t.reasoning == "T");
  REQUIRE(e.t.answer == "A");
  REQUIRE(e.t.state == TraceState::field);

  e.run(R"({"idx":0,"question":"Q","gt":"1","code":["<|begin_of_thought|>T"],"pred":["1"]})");
  REQUIRE(std::string(e.t.layout) == "eval-harness");
  REQUIRE(e.t.state == TraceState::open_only);
  REQUIRE(e.t.answer == "1");

  e.run(R"({"choices":[{"message":{"role":"assistant","content":"A","reasoning_content":"R"}}]})");
  REQUIRE(std::string(e.t.layout) == "chat-completion");
  REQUIRE(e.t.reasoning == "R");

  e.run(R"({"question":"Q","model_response":"```json\n{\"reasoning\": \"uzasadnienie\", \"answer\": \"B\"}\n```"})");
  REQUIRE(std::string(e.t.layout) == "json-in-string");
  REQUIRE(e.t.reasoning == "uzasadnienie");
  REQUIRE(e.t.answer == "B");

  e.run(R"({"question_text":"Q","answer":{"thinking":"T","final_answer":"B"}})");
  REQUIRE(std::string(e.t.layout) == "nested-answer");
  REQUIRE(e.t.question == "Q");
  REQUIRE(e.t.reasoning == "T");

  e.run(R"({"instruction":"I","input":"X","output":"O"})");
  REQUIRE(e.t.question == "I\nX");
  REQUIRE(e.t.state == TraceState::untagged);

  REQUIRE(e.run(R"({"task_uuid":"x","prompt_message":{"role":"user","content":"Q"}})").status == RecordStatus::skipped);
}

TEST_CASE("bad records are rejected with a code and a column", "[record]") {
  Ex e;
  auto r = e.run(R"({"a": 1,, "b": 2})");
  REQUIRE(r.status == RecordStatus::rejected);
  REQUIRE(r.reason == "bad-json");
  REQUIRE(r.diag.col == 9);
  r = e.run("{\"a\": \"x\xff\"}");
  REQUIRE(r.reason == "bad-utf8");
  REQUIRE(r.diag.col == 9);
  r = e.run("[1,2]");
  REQUIRE(r.reason == "not-object");
  r = e.run(R"({"a": "unterminated)");
  REQUIRE(r.reason == "bad-json");
  REQUIRE(r.diag.message.find("unterminated string") != std::string::npos);
}

TEST_CASE("JSON pointers override detection", "[record]") {
  RecordOptions o;
  o.question_pointer = "/q/text";
  o.reasoning_pointer = "/trace/0";
  RecordExtractor ex(o);
  std::string j = R"({"q":{"text":"Q"},"trace":["T1","T2"],"answer":"A"})";
  std::string buf = j + std::string(kParsePadding, ' ');
  RecordText t;
  REQUIRE(ex.extract(buf.data(), j.size(), t).status == RecordStatus::scored);
  REQUIRE(t.question == "Q");
  REQUIRE(t.reasoning == "T1");
  REQUIRE(std::string(t.layout) == "pointer");
}

TEST_CASE("every layout name is documented in docs/cli.md", "[record][docs]") {
  std::ifstream f(std::string(RSQ_SOURCE_DIR) + "/docs/cli.md");
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string doc = ss.str();
  REQUIRE(!doc.empty());
  std::vector<std::string> names{"pointer"};
  for (const auto& l : input::layouts()) {
    std::string_view n = l.names;
    while (!n.empty()) {
      size_t c = n.find(',');
      names.emplace_back(n.substr(0, c));
      n = c == std::string_view::npos ? std::string_view() : n.substr(c + 1);
    }
  }
  CHECK(names.size() >= 15);
  for (const auto& n : names) {
    INFO(n);
    CHECK(doc.find("`" + n + "`") != std::string::npos);
  }
}
