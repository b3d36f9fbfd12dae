// Record extraction (rsq/record.h): JSON validation (simdjson DOM, so the
// whole record is checked, not just the fields read), the --question /
// --reasoning / --answer pointers, and otherwise the layout table
// (input/layouts.cc). Everything returned points into the parser's string
// buffer or into the extractor's scratch strings.
#include <simdjson.h>

#include <limits>

#include "input/fields.h"
#include "input/json_fix.h"
#include "input/layouts.h"
#include "input/json_check.h"
#include "rsq/record.h"

namespace rsq {

struct RecordExtractor::Impl {
  input::Fields f;
  simdjson::dom::parser parser;
  std::string fixed;  // a refused record rewritten (rare)

  using elem = simdjson::dom::element;
  using obj = simdjson::dom::object;

  ExtractResult extract(const char* data, size_t len, RecordText& t) {
    t = RecordText{};
    elem doc;
    auto err = parser.parse(data, len, false).get(doc);
    if (err && (err == simdjson::NUMBER_ERROR || err == simdjson::STRING_ERROR) &&
        check_json(std::string_view(data, len)).ok && input::fix_refused_json(std::string_view(data, len), fixed)) {
      // Valid JSON simdjson refuses (a huge number, a lone surrogate escape):
      // read the rewritten copy (input/json_fix.h).
      fixed.append(simdjson::SIMDJSON_PADDING, ' ');
      err = parser.parse(fixed.data(), len, false).get(doc);
    }
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
    t.field_values.assign(f.opt.metric_fields.size(), std::numeric_limits<double>::quiet_NaN());
    for (size_t k = 0; k < f.opt.metric_fields.size(); ++k) {
      auto r = doc.at_pointer(f.opt.metric_fields[k].second);
      if (r.error()) continue;
      elem v = r.value_unsafe();
      if (v.is_number()) t.field_values[k] = v.get_double().value_unsafe();
      else if (v.is_bool()) t.field_values[k] = v.get_bool().value_unsafe() ? 1.0 : 0.0;
    }
    if (!f.opt.question_pointer.empty() || !f.opt.reasoning_pointer.empty() || !f.opt.answer_pointer.empty())
      return by_pointer(doc, t);
    return input::extract_by_layout(f, o, t);
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
      return f.text_of(r.value_unsafe(), out, buf);
    };
    get(f.opt.question_pointer, t.question, f.q_buf);
    std::string_view resp;
    if (!f.opt.reasoning_pointer.empty()) {
      if (!get(f.opt.reasoning_pointer, t.reasoning, f.r_buf)) return f.skip("no-trace");
      t.state = TraceState::field;
      get(f.opt.answer_pointer, t.answer, f.a_buf);
      return {};
    }
    if (!get(f.opt.answer_pointer, resp, f.a_buf)) return f.skip("no-trace");
    f.from_response(resp, t);
    return {};
  }
};

RecordExtractor::RecordExtractor(const RecordOptions& opt) : impl_(std::make_unique<Impl>()) { impl_->f.opt = opt; }
RecordExtractor::~RecordExtractor() = default;
ExtractResult RecordExtractor::extract(const char* data, size_t len, RecordText& out) {
  return impl_->extract(data, len, out);
}

}  // namespace rsq
