// input/fields.h (internal) — what a layout works with: the record's JSON
// (simdjson DOM), helpers that read strings and text parts out of it, the
// scratch buffers the returned views may point into, and from_response(),
// which cuts a trace out of a response by tags. One per worker thread.
#pragma once
#include <tuple>
#include <simdjson.h>

#include <array>
#include <string>
#include <string_view>

#include "input/text_util.h"
#include "rsq/record.h"

namespace rsq::input {

struct Fields {
  RecordOptions opt;
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
    if (s.state == TraceState::untagged) std::tie(t.unknown_open, t.unknown_close) = find_unknown_tags(resp);
  }

  ExtractResult skip(const char* why) {
    ExtractResult r;
    r.status = RecordStatus::skipped;
    r.reason = why;
    return r;
  }

  // The last assistant turn of a chat, with the nearest user turn before it
  // as the question (chat-messages, sharegpt).
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

  ExtractResult assistant_turn(obj m, RecordText& t);
};

}  // namespace rsq::input
