// Record extraction: JSON validation (simdjson DOM, so the whole record is
// checked, not just the fields read), layout detection and trace splitting.
// The detection order is the table in docs/schemas.md; the first signature
// that matches wins. Everything returned points into the parser's string
// buffer or into this object's scratch strings.
#include "rsq/record.h"

#include <simdjson.h>

#include <array>
#include <cstring>
#include <limits>

#include "rsq/json_check.h"

namespace rsq {

const char* trace_state_name(TraceState s) {
  switch (s) {
    case TraceState::field: return "field";
    case TraceState::closed: return "closed";
    case TraceState::open_only: return "open-only";
    case TraceState::close_only: return "close-only";
    case TraceState::untagged: return "untagged";
  }
  return "?";
}

namespace {

const std::array<TagPair, 3>& builtin_tags() {
  static const std::array<TagPair, 3> t{{{"<think>", "</think>"},
                                         {"<|begin_of_thought|>", "<|end_of_thought|>"},
                                         {"<reasoning>", "</reasoning>"}}};
  return t;
}

std::string_view trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\n' || s[b] == '\r' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\n' || s[e - 1] == '\r' || s[e - 1] == '\t')) --e;
  return s.substr(b, e - b);
}

// Content of the last \boxed{...} (balanced braces), or empty.
std::string_view last_boxed(std::string_view s) {
  size_t p = s.rfind("\\boxed{");
  if (p == std::string_view::npos) return {};
  size_t i = p + 7, depth = 1;
  for (size_t j = i; j < s.size(); ++j) {
    if (s[j] == '{') ++depth;
    else if (s[j] == '}' && --depth == 0) return s.substr(i, j - i);
  }
  return {};
}

// The answer part of a tagged response: the solution block if there is one,
// an <answer> block if there is one, else the text as is.
std::string_view answer_part(std::string_view after) {
  static constexpr std::string_view bs = "<|begin_of_solution|>", es = "<|end_of_solution|>";
  size_t b = after.find(bs);
  if (b != std::string_view::npos) {
    size_t e = after.find(es, b + bs.size());
    return trim(after.substr(b + bs.size(), e == std::string_view::npos ? std::string_view::npos : e - b - bs.size()));
  }
  size_t a = after.find("<answer>");
  if (a != std::string_view::npos) {
    size_t e = after.find("</answer>", a + 8);
    return trim(after.substr(a + 8, e == std::string_view::npos ? std::string_view::npos : e - a - 8));
  }
  return trim(after);
}

}  // namespace

TraceSplit split_trace(std::string_view r, const std::vector<TagPair>& extra, std::string& scratch) {
  TraceSplit out;
  // Pick the pair whose first tag (open or close) comes earliest.
  const TagPair* pick = nullptr;
  size_t best = std::string_view::npos;
  auto consider = [&](const TagPair& t) {
    size_t o = r.find(t.open), c = r.find(t.close);
    size_t f = std::min(o, c);
    if (f < best) {
      best = f;
      pick = &t;
    }
  };
  for (const auto& t : extra) consider(t);
  if (!pick)
    for (const auto& t : builtin_tags()) consider(t);
  if (!pick) {
    out.state = TraceState::untagged;
    out.trace = trim(r);
    out.answer = trim(last_boxed(r));
    return out;
  }
  std::string_view open = pick->open, close = pick->close;
  size_t o = r.find(open);
  size_t c = r.find(close);
  if (o == std::string_view::npos) {  // close only
    out.state = TraceState::close_only;
    out.blocks = 1;
    out.trace = trim(r.substr(0, c));
    out.answer = answer_part(r.substr(c + close.size()));
    return out;
  }
  // Walk all blocks: open ... close, open ... close, ...
  size_t pos = o;
  size_t last_close_end = std::string_view::npos;
  std::string_view first;
  bool joined = false;
  while (pos != std::string_view::npos) {
    size_t body = pos + open.size();
    size_t cl = r.find(close, body);
    std::string_view blk = cl == std::string_view::npos ? r.substr(body) : r.substr(body, cl - body);
    ++out.blocks;
    if (out.blocks == 1) {
      first = trim(blk);
    } else {
      if (!joined) {
        scratch.assign(first);
        joined = true;
      }
      scratch += "\n\n";
      scratch += trim(blk);
    }
    if (cl == std::string_view::npos) {
      out.state = TraceState::open_only;
      out.trace = joined ? std::string_view(scratch) : first;
      out.answer = {};
      return out;
    }
    last_close_end = cl + close.size();
    pos = r.find(open, last_close_end);
  }
  out.state = TraceState::closed;
  out.trace = joined ? std::string_view(scratch) : first;
  out.answer = answer_part(r.substr(last_close_end));
  return out;
}

struct RecordExtractor::Impl {
  RecordOptions opt;
  simdjson::dom::parser parser;
  simdjson::dom::parser inner;  // for JSON stored inside a string field
  std::string q_buf, r_buf, a_buf, split_buf, inner_buf;

  using elem = simdjson::dom::element;
  using obj = simdjson::dom::object;

  static bool str_of(elem e, std::string_view& out) {
    if (e.is_string()) {
      out = e.get_string().value_unsafe();
      return true;
    }
    return false;
  }
  // A string, or the first string of an array of strings, or the text parts of
  // an OpenAI-style content array.
  bool text_of(elem e, std::string_view& out, std::string& buf) {
    if (str_of(e, out)) return true;
    if (e.is_array()) {
      simdjson::dom::array a = e.get_array().value_unsafe();
      if (a.size() == 0) return false;
      elem first = a.at(0).value_unsafe();
      if (str_of(first, out)) return true;
      if (first.is_object()) {
        buf.clear();
        for (elem part : a) {
          std::string_view t;
          if (part.is_object() && str_of(part["text"].value_unsafe(), t)) {
            if (!buf.empty()) buf += "\n";
            buf += t;
          }
        }
        out = buf;
        return !buf.empty();
      }
    }
    return false;
  }
  static bool field(obj o, std::string_view key, elem& out) {
    auto r = o.at_key(key);
    if (r.error()) return false;
    out = r.value_unsafe();
    return true;
  }
  bool str_field(obj o, std::string_view key, std::string_view& out) {
    elem e;
    return field(o, key, e) && str_of(e, out);
  }
  template <size_t N>
  bool first_str(obj o, const std::array<std::string_view, N>& keys, std::string_view& out, std::string& buf) {
    for (auto k : keys) {
      elem e;
      if (field(o, k, e) && text_of(e, out, buf) && !out.empty()) return true;
    }
    return false;
  }

  // Response text → trace + answer, recording the tag state.
  void from_response(std::string_view resp, RecordText& t) {
    TraceSplit s = split_trace(resp, opt.extra_tags, split_buf);
    t.reasoning = s.trace;
    t.answer = s.answer;
    t.state = s.state;
    t.think_blocks = s.blocks;
  }

  ExtractResult skip(const char* why) {
    ExtractResult r;
    r.status = RecordStatus::skipped;
    r.reason = why;
    return r;
  }

  ExtractResult extract(const char* data, size_t len, RecordText& t) {
    t = RecordText{};
    elem doc;
    auto err = parser.parse(data, len, false).get(doc);
    if (err) {
      ExtractResult r;
      r.status = RecordStatus::rejected;
      JsonProblem p = check_json(std::string_view(data, len));
      if (p.ok) {
        p.code = err == simdjson::UTF8_ERROR ? "bad-utf8" : "bad-json";
        p.message = std::string("invalid JSON: ") + simdjson::error_message(err);
        p.offset = 0;
        if (err == simdjson::UTF8_ERROR) {
          size_t b = first_invalid_utf8(std::string_view(data, len));
          if (b != std::string_view::npos) p.offset = b;
          p.message = "invalid UTF-8 byte sequence";
        }
      }
      r.reason = p.code;
      r.diag = {Severity::error, p.code, p.message, 0, p.offset + 1};
      return r;
    }
    if (!doc.is_object()) {
      ExtractResult r;
      r.status = RecordStatus::rejected;
      r.reason = "not-object";
      r.diag = {Severity::error, "not-object", "record is a JSON " + type_name(doc) + ", not an object", 0, 1};
      return r;
    }
    obj o = doc.get_object().value_unsafe();
    t.field_values.assign(opt.metric_fields.size(), std::numeric_limits<double>::quiet_NaN());
    for (size_t k = 0; k < opt.metric_fields.size(); ++k) {
      auto r = doc.at_pointer(opt.metric_fields[k].second);
      if (r.error()) continue;
      elem v = r.value_unsafe();
      if (v.is_number()) t.field_values[k] = v.get_double().value_unsafe();
      else if (v.is_bool()) t.field_values[k] = v.get_bool().value_unsafe() ? 1.0 : 0.0;
    }
    if (!opt.question_pointer.empty() || !opt.reasoning_pointer.empty() || !opt.answer_pointer.empty())
      return by_pointer(doc, t);
    return detect(o, t);
  }

  static std::string type_name(elem e) {
    switch (e.type()) {
      case simdjson::dom::element_type::ARRAY: return "array";
      case simdjson::dom::element_type::STRING: return "string";
      case simdjson::dom::element_type::BOOL: return "boolean";
      case simdjson::dom::element_type::NULL_VALUE: return "null";
      default: return "number";
    }
  }

  ExtractResult by_pointer(elem doc, RecordText& t) {
    t.layout = "pointer";
    auto get = [&](const std::string& ptr, std::string_view& out, std::string& buf) {
      if (ptr.empty()) return false;
      auto r = doc.at_pointer(ptr);
      if (r.error()) return false;
      return text_of(r.value_unsafe(), out, buf);
    };
    get(opt.question_pointer, t.question, q_buf);
    std::string_view resp;
    if (!opt.reasoning_pointer.empty()) {
      if (!get(opt.reasoning_pointer, t.reasoning, r_buf)) return skip("no-trace");
      t.state = TraceState::field;
      get(opt.answer_pointer, t.answer, a_buf);
      return {};
    }
    if (!get(opt.answer_pointer, resp, a_buf)) return skip("no-trace");
    from_response(resp, t);
    return {};
  }

  ExtractResult detect(obj o, RecordText& t) {
    static constexpr std::array<std::string_view, 7> q_keys{"question", "problem", "prompt", "instruction",
                                                             "instruct", "query", "question_text"};
    static constexpr std::array<std::string_view, 10> r_keys{
        "reasoning",       "reasoning_content", "thinking",          "thinking_trajectories",
        "thinking_process", "deepseek_thinking_trajectory", "deepseek_reasoning", "thought",
        "rationale",        "chain_of_thought"};
    static constexpr std::array<std::string_view, 11> a_keys{
        "answer",     "solution",   "response",       "output",          "attempt",       "generation",
        "completion", "final_answer", "deepseek_attempt", "deepseek_solution", "model_answer"};
    elem e;

    // Chat messages: [{role, content}, ...]
    if (field(o, "messages", e) && e.is_array()) return chat(e.get_array().value_unsafe(), "role", "content", t, "chat-messages");
    if (field(o, "conversations", e) && e.is_array())
      return chat(e.get_array().value_unsafe(), "from", "value", t, "sharegpt");
    // OpenAI / DeepSeek chat completion log.
    if (field(o, "choices", e) && e.is_array() && e.get_array().value_unsafe().size() > 0) {
      elem c0 = e.get_array().value_unsafe().at(0).value_unsafe();
      elem msg;
      if (c0.is_object() && field(c0.get_object().value_unsafe(), "message", msg) && msg.is_object()) {
        t.layout = "chat-completion";
        return assistant_turn(msg.get_object().value_unsafe(), t);
      }
    }
    // Qwen2.5-Math evaluation harness (SkyThought): trace in code[0].
    elem code;
    if (field(o, "code", code) && code.is_array() && o.at_key("gt").error() == simdjson::SUCCESS) {
      t.layout = "eval-harness";
      str_field(o, "question", t.question);
      std::string_view resp;
      if (!text_of(code, resp, r_buf) || trim(resp).empty()) return skip("no-trace");
      from_response(resp, t);
      if (t.answer.empty()) {
        elem pred;
        if (field(o, "pred", pred)) text_of(pred, t.answer, a_buf);
      }
      return {};
    }
    // thinking-llms-interp dumps: extracted trace + full response.
    std::string_view tp, full;
    bool has_tp = str_field(o, "thinking_process", tp), has_full = str_field(o, "full_response", full);
    if (has_tp || has_full) {
      t.layout = "r1-dump";
      if (!str_field(o, "question", t.question)) {
        elem om;
        if (field(o, "original_message", om) && om.is_object()) str_field(om.get_object().value_unsafe(), "content", t.question);
      }
      if (has_full) from_response(full, t);
      if (has_tp && !trim(tp).empty()) {
        t.reasoning = tp;
        if (!has_full) t.state = TraceState::field;
      }
      if (t.reasoning.empty() && t.state == TraceState::untagged) return skip("no-trace");  // tags with an empty trace are scored (reasoning_empty)
      return {};
    }
    std::string_view rs;
    if (str_field(o, "response_str", rs) || str_field(o, "annotated_response", rs)) {
      t.layout = "response-str";
      from_response(rs, t);
      if (t.reasoning.empty() && t.state == TraceState::untagged) return skip("no-trace");  // tags with an empty trace are scored (reasoning_empty)
      return {};
    }
    // open-r1: generations[i] with <think>.
    if (field(o, "generations", e) && e.is_array()) {
      t.layout = "openr1";
      first_str(o, q_keys, t.question, q_buf);
      std::string_view resp;
      if (!text_of(e, resp, r_buf) || trim(resp).empty()) return skip("no-trace");
      from_response(resp, t);
      return {};
    }
    // JSON stored in a string (PolishLawLLM model_response).
    std::string_view mr;
    if (str_field(o, "model_response", mr)) {
      first_str(o, q_keys, t.question, q_buf);
      if (json_in_string(mr, t)) return {};
      t.layout = "model-response";
      from_response(mr, t);
      if (t.reasoning.empty() && t.state == TraceState::untagged) return skip("no-trace");  // tags with an empty trace are scored (reasoning_empty)
      return {};
    }

    // Flat fields.
    bool has_q = first_str(o, q_keys, t.question, q_buf);
    if (has_q) {
      // Alpaca: instruction + input.
      std::string_view in;
      if (str_field(o, "input", in) && !trim(in).empty()) {
        q_buf.assign(t.question);
        q_buf += "\n";
        q_buf += in;
        t.question = q_buf;
      }
    }
    std::string_view reasoning;
    if (first_str(o, r_keys, reasoning, r_buf) && !trim(reasoning).empty()) {
      t.layout = "flat";
      t.reasoning = reasoning;  // verbatim: a separate field is measured as stored
      t.state = TraceState::field;
      first_str(o, a_keys, t.answer, a_buf);
      t.answer = trim(t.answer);
      return {};
    }
    // An answer object carrying the reasoning (matura few-shot: {thinking, final_answer}).
    for (auto k : a_keys) {
      elem ao;
      if (field(o, k, ao) && ao.is_object()) {
        obj a = ao.get_object().value_unsafe();
        std::string_view r2;
        if (first_str(a, r_keys, r2, r_buf) && !trim(r2).empty()) {
          t.layout = "nested-answer";
          t.reasoning = r2;
          t.state = TraceState::field;
          first_str(a, a_keys, t.answer, a_buf);
          t.answer = trim(t.answer);
          return {};
        }
      }
    }
    std::string_view resp;
    if (first_str(o, a_keys, resp, a_buf) && !trim(resp).empty()) {
      // GSM8K: steps, then "#### <answer>".
      size_t h = resp.rfind("\n#### ");
      if (h != std::string_view::npos) {
        t.layout = "gsm8k";
        t.reasoning = trim(resp.substr(0, h));
        t.answer = trim(resp.substr(h + 6));
        t.state = TraceState::field;
        return {};
      }
      from_response(resp, t);
      t.layout = t.state == TraceState::untagged ? "flat-untagged" : "flat-tagged";
      if (t.reasoning.empty() && t.state == TraceState::untagged) return skip("no-trace");  // tags with an empty trace are scored (reasoning_empty)
      return {};
    }
    return skip("no-trace");
  }

  bool json_in_string(std::string_view s, RecordText& t) {
    std::string_view body = trim(s);
    if (body.substr(0, 3) == "```") {
      size_t nl = body.find('\n');
      size_t end = body.rfind("```");
      if (nl == std::string_view::npos || end <= nl) return false;
      body = trim(body.substr(nl + 1, end - nl - 1));
    }
    if (body.empty() || body[0] != '{') return false;
    inner_buf.assign(body);
    inner_buf.append(simdjson::SIMDJSON_PADDING, ' ');
    elem d;
    if (inner.parse(inner_buf.data(), body.size(), false).get(d) || !d.is_object()) return false;
    obj io = d.get_object().value_unsafe();
    std::string_view r;
    if (!str_field(io, "reasoning", r) || trim(r).empty()) return false;
    t.layout = "json-in-string";
    t.reasoning = r;
    t.state = TraceState::field;
    if (!str_field(io, "answer", t.answer)) t.answer = {};
    t.answer = trim(t.answer);
    return true;
  }

  ExtractResult assistant_turn(obj m, RecordText& t) {
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

  ExtractResult chat(simdjson::dom::array msgs, std::string_view role_key, std::string_view content_key,
                     RecordText& t, const char* layout) {
    t.layout = layout;
    // The last assistant turn, with the nearest user turn before it as the question.
    std::string_view last_user;
    bool found = false;
    obj assistant;
    std::string_view question;
    for (elem m : msgs) {
      if (!m.is_object()) continue;
      obj mo = m.get_object().value_unsafe();
      std::string_view role;
      if (!str_field(mo, role_key, role)) continue;
      if (role == "user" || role == "human") {
        elem c;
        if (field(mo, content_key, c)) text_of(c, last_user, q_buf);
      } else if (role == "assistant" || role == "gpt" || role == "model") {
        assistant = mo;
        question = last_user;
        found = true;
      }
    }
    if (!found) return skip("no-trace");
    t.question = question;
    if (content_key == "value") {
      std::string_view v;
      if (!str_field(assistant, "value", v) || trim(v).empty()) return skip("no-trace");
      from_response(v, t);
      return {};
    }
    return assistant_turn(assistant, t);
  }
};

RecordExtractor::RecordExtractor(const RecordOptions& opt) : impl_(std::make_unique<Impl>()) { impl_->opt = opt; }
RecordExtractor::~RecordExtractor() = default;
ExtractResult RecordExtractor::extract(const char* data, size_t len, RecordText& out) {
  return impl_->extract(data, len, out);
}

}  // namespace rsq
