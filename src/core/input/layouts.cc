// The layout table (input/layouts.h), in detection order. A signature must
// say exactly when its layout applies: a record whose signature fails falls
// through to the next layout, as a record that has `choices` without a
// message object falls through to the flat fields.
#include "input/layouts.h"

namespace rsq::input {
namespace {

using elem = simdjson::dom::element;
using obj = simdjson::dom::object;

constexpr std::array<std::string_view, 7> q_keys{"question", "problem", "prompt", "instruction",
                                                 "instruct", "query", "question_text"};
constexpr std::array<std::string_view, 10> r_keys{
    "reasoning",       "reasoning_content", "thinking",          "thinking_trajectories",
    "thinking_process", "deepseek_thinking_trajectory", "deepseek_reasoning", "thought",
    "rationale",        "chain_of_thought"};
constexpr std::array<std::string_view, 11> a_keys{
    "answer",     "solution",   "response",       "output",          "attempt",       "generation",
    "completion", "final_answer", "deepseek_attempt", "deepseek_solution", "model_answer"};

bool is_array(Fields& f, obj o, std::string_view k) {
  elem e;
  return f.field(o, k, e) && e.is_array();
}

// JSON stored in a string (PolishLawLLM model_response): {"reasoning", "answer"}.
bool json_in_string(Fields& f, std::string_view s, RecordText& t) {
  std::string_view body = trim(s);
  if (body.substr(0, 3) == "```") {
    size_t nl = body.find('\n');
    size_t end = body.rfind("```");
    if (nl == std::string_view::npos || end <= nl) return false;
    body = trim(body.substr(nl + 1, end - nl - 1));
  }
  if (body.empty() || body[0] != '{') return false;
  f.inner_buf.assign(body);
  f.inner_buf.append(simdjson::SIMDJSON_PADDING, ' ');
  elem d;
  if (f.inner.parse(f.inner_buf.data(), body.size(), false).get(d) || !d.is_object()) return false;
  obj io = d.get_object().value_unsafe();
  std::string_view r;
  if (!f.str_field(io, "reasoning", r) || trim(r).empty()) return false;
  t.layout = "json-in-string";
  t.reasoning = r;
  t.state = TraceState::field;
  if (!f.str_field(io, "answer", t.answer)) t.answer = {};
  t.answer = trim(t.answer);
  return true;
}

// Chat messages: [{role, content}, ...]
bool chat_messages_detect(Fields& f, obj o) { return is_array(f, o, "messages"); }
ExtractResult chat_messages(Fields& f, obj o, RecordText& t) {
  elem e;
  f.field(o, "messages", e);
  return f.chat(e.get_array().value_unsafe(), "role", "content", t, "chat-messages");
}

// ShareGPT: [{from, value}, ...]
bool sharegpt_detect(Fields& f, obj o) { return is_array(f, o, "conversations"); }
ExtractResult sharegpt(Fields& f, obj o, RecordText& t) {
  elem e;
  f.field(o, "conversations", e);
  return f.chat(e.get_array().value_unsafe(), "from", "value", t, "sharegpt");
}

// OpenAI / DeepSeek chat completion log: choices[0].message.
bool completion_message(Fields& f, obj o, elem& msg) {
  elem e;
  if (!(f.field(o, "choices", e) && e.is_array() && e.get_array().value_unsafe().size() > 0)) return false;
  elem c0 = e.get_array().value_unsafe().at(0).value_unsafe();
  return c0.is_object() && f.field(c0.get_object().value_unsafe(), "message", msg) && msg.is_object();
}
bool chat_completion_detect(Fields& f, obj o) {
  elem msg;
  return completion_message(f, o, msg);
}
ExtractResult chat_completion(Fields& f, obj o, RecordText& t) {
  elem msg;
  completion_message(f, o, msg);
  t.layout = "chat-completion";
  return f.assistant_turn(msg.get_object().value_unsafe(), t);
}

// Qwen2.5-Math evaluation harness (SkyThought): trace in code[0].
bool eval_harness_detect(Fields& f, obj o) { return is_array(f, o, "code") && o.at_key("gt").error() == simdjson::SUCCESS; }
ExtractResult eval_harness(Fields& f, obj o, RecordText& t) {
  elem code;
  f.field(o, "code", code);
  t.layout = "eval-harness";
  f.str_field(o, "question", t.question);
  std::string_view resp;
  if (!f.text_of(code, resp, f.r_buf) || trim(resp).empty()) return f.skip("no-trace");
  f.from_response(resp, t);
  if (t.answer.empty()) {
    elem pred;
    if (f.field(o, "pred", pred)) f.text_of(pred, t.answer, f.a_buf);
  }
  return {};
}

// thinking-llms-interp dumps: extracted trace + full response.
bool r1_dump_detect(Fields& f, obj o) {
  std::string_view s;
  return f.str_field(o, "thinking_process", s) || f.str_field(o, "full_response", s);
}
ExtractResult r1_dump(Fields& f, obj o, RecordText& t) {
  std::string_view tp, full;
  bool has_tp = f.str_field(o, "thinking_process", tp), has_full = f.str_field(o, "full_response", full);
  t.layout = "r1-dump";
  if (!f.str_field(o, "question", t.question)) {
    elem om;
    if (f.field(o, "original_message", om) && om.is_object()) f.str_field(om.get_object().value_unsafe(), "content", t.question);
  }
  if (has_full) f.from_response(full, t);
  if (has_tp && !trim(tp).empty()) {
    t.reasoning = tp;
    if (!has_full) t.state = TraceState::field;
  }
  if (t.reasoning.empty() && t.state == TraceState::untagged) return f.skip("no-trace");  // tags with an empty trace are scored (reasoning_empty)
  return {};
}

// A response string with inline tags (response_str / annotated_response).
bool response_str_detect(Fields& f, obj o) {
  std::string_view s;
  return f.str_field(o, "response_str", s) || f.str_field(o, "annotated_response", s);
}
ExtractResult response_str(Fields& f, obj o, RecordText& t) {
  std::string_view rs;
  if (!f.str_field(o, "response_str", rs)) f.str_field(o, "annotated_response", rs);
  t.layout = "response-str";
  f.from_response(rs, t);
  if (t.reasoning.empty() && t.state == TraceState::untagged) return f.skip("no-trace");  // tags with an empty trace are scored (reasoning_empty)
  return {};
}

// open-r1: generations[i] with <think>.
bool openr1_detect(Fields& f, obj o) { return is_array(f, o, "generations"); }
ExtractResult openr1(Fields& f, obj o, RecordText& t) {
  elem e;
  f.field(o, "generations", e);
  t.layout = "openr1";
  f.first_str(o, q_keys, t.question, f.q_buf);
  std::string_view resp;
  if (!f.text_of(e, resp, f.r_buf) || trim(resp).empty()) return f.skip("no-trace");
  f.from_response(resp, t);
  return {};
}

// model_response: JSON stored in the string, or a tagged response.
bool model_response_detect(Fields& f, obj o) {
  std::string_view s;
  return f.str_field(o, "model_response", s);
}
ExtractResult model_response(Fields& f, obj o, RecordText& t) {
  std::string_view mr;
  f.str_field(o, "model_response", mr);
  f.first_str(o, q_keys, t.question, f.q_buf);
  if (json_in_string(f, mr, t)) return {};
  t.layout = "model-response";
  f.from_response(mr, t);
  if (t.reasoning.empty() && t.state == TraceState::untagged) return f.skip("no-trace");  // tags with an empty trace are scored (reasoning_empty)
  return {};
}

// Flat fields: question + reasoning + answer under the usual names; an
// answer object carrying the reasoning; GSM8K's "#### answer"; a tagged or
// untagged response.
bool flat_detect(Fields&, obj) { return true; }
ExtractResult flat(Fields& f, obj o, RecordText& t) {
  bool has_q = f.first_str(o, q_keys, t.question, f.q_buf);
  if (has_q) {
    // Alpaca: instruction + input.
    std::string_view in;
    if (f.str_field(o, "input", in) && !trim(in).empty()) {
      f.q_buf.assign(t.question);
      f.q_buf += "\n";
      f.q_buf += in;
      t.question = f.q_buf;
    }
  }
  std::string_view reasoning;
  if (f.first_str(o, r_keys, reasoning, f.r_buf) && !trim(reasoning).empty()) {
    t.layout = "flat";
    t.reasoning = reasoning;  // verbatim: a separate field is measured as stored
    t.state = TraceState::field;
    f.first_str(o, a_keys, t.answer, f.a_buf);
    t.answer = trim(t.answer);
    return {};
  }
  // An answer object carrying the reasoning (matura few-shot: {thinking, final_answer}).
  for (auto k : a_keys) {
    elem ao;
    if (f.field(o, k, ao) && ao.is_object()) {
      obj a = ao.get_object().value_unsafe();
      std::string_view r2;
      if (f.first_str(a, r_keys, r2, f.r_buf) && !trim(r2).empty()) {
        t.layout = "nested-answer";
        t.reasoning = r2;
        t.state = TraceState::field;
        f.first_str(a, a_keys, t.answer, f.a_buf);
        t.answer = trim(t.answer);
        return {};
      }
    }
  }
  std::string_view resp;
  if (f.first_str(o, a_keys, resp, f.a_buf) && !trim(resp).empty()) {
    // GSM8K: steps, then "#### <answer>".
    size_t h = resp.rfind("\n#### ");
    if (h != std::string_view::npos) {
      t.layout = "gsm8k";
      t.reasoning = trim(resp.substr(0, h));
      t.answer = trim(resp.substr(h + 6));
      t.state = TraceState::field;
      return {};
    }
    f.from_response(resp, t);
    t.layout = t.state == TraceState::untagged ? "flat-untagged" : "flat-tagged";
    if (t.reasoning.empty() && t.state == TraceState::untagged) return f.skip("no-trace");  // tags with an empty trace are scored (reasoning_empty)
    return {};
  }
  return f.skip("no-trace");
}

constexpr Layout kLayouts[] = {
    {"chat-messages", chat_messages_detect, chat_messages},
    {"sharegpt", sharegpt_detect, sharegpt},
    {"chat-completion", chat_completion_detect, chat_completion},
    {"eval-harness", eval_harness_detect, eval_harness},
    {"r1-dump", r1_dump_detect, r1_dump},
    {"response-str", response_str_detect, response_str},
    {"openr1", openr1_detect, openr1},
    {"model-response,json-in-string", model_response_detect, model_response},
    {"flat,nested-answer,gsm8k,flat-tagged,flat-untagged", flat_detect, flat},
};

}  // namespace

std::span<const Layout> layouts() { return kLayouts; }

ExtractResult extract_by_layout(Fields& f, obj o, RecordText& t) {
  for (const Layout& l : kLayouts)
    if (l.detect(f, o)) return l.extract(f, o, t);
  return f.skip("no-trace");
}

ExtractResult Fields::assistant_turn(obj m, RecordText& t) {
  static constexpr std::array<std::string_view, 3> rk{"reasoning_content", "thinking", "reasoning"};
  elem content;
  bool has_content = field(m, "content", content);
  // {thought, answer} content object (arena-hard answers).
  if (has_content && content.is_object()) {
    obj c = content.get_object().value_unsafe();
    std::string_view th;
    str_field(c, "answer", t.answer);
    if (str_field(c, "thought", th) && !trim(th).empty()) {
      t.reasoning = th;
      t.state = TraceState::field;
      return {};
    }
    if (t.answer.empty()) return skip("no-trace");
    from_response(t.answer, t);
    return {};
  }
  std::string_view text;
  if (has_content) text_of(content, text, a_buf);
  std::string_view r;
  for (auto k : rk)
    if (str_field(m, k, r) && !trim(r).empty()) {
      t.reasoning = r;
      t.state = TraceState::field;
      t.answer = trim(text);
      return {};
    }
  elem info;
  if (field(m, "info", info) && info.is_object()) {
    obj io = info.get_object().value_unsafe();
    if (str_field(io, "think_content", r) && !trim(r).empty()) {
      t.reasoning = r;
      t.state = TraceState::field;
      std::string_view ac;
      t.answer = str_field(io, "answer_content", ac) ? trim(ac) : trim(text);
      return {};
    }
  }
  if (trim(text).empty()) return skip("no-trace");
  from_response(text, t);
  return {};
}

}  // namespace rsq::input
