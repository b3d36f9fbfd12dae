// rsq annotate's per-record JSON (output/annotate.h render_annotation): the
// record with an "rsq" member, or a flat --metrics-only row. Written by hand
// (output/json_text.h): a DOM per record would cost more than its metrics.
#include "output/annotate.h"

#include <simdjson.h>

#include <cmath>
#include <cstring>

#include "output/json_text.h"
#include "rsq/emit.h"
#include "rsq/metrics.h"

namespace rsq {

namespace {

using out::json_number;
using out::json_string;

void metrics_object(std::string& out, const double* values, const MetricSelection& sel) {
  auto metrics = all_metrics();
  out += '{';
  bool first = true;
  for (size_t i = 0; i < metrics.size(); ++i) {
    if (!sel.has(i)) continue;
    if (!first) out += ',';
    first = false;
    json_string(out, metrics[i].name);
    out += ':';
    json_number(out, values[i]);
  }
  out += '}';
}

void status_members(std::string& out, const RecordEvent& ev) {
  out += "\"line\":" + std::to_string(ev.line);
  if (ev.status == RecordStatus::scored) {
    out += ",\"layout\":";
    json_string(out, ev.text->layout);
    out += ",\"trace_state\":";
    json_string(out, trace_state_name(ev.text->state));
  } else if (ev.status == RecordStatus::skipped) {
    out += ",\"skipped\":";
    json_string(out, ev.reason);
  } else {
    out += ",\"error\":{\"code\":";
    json_string(out, ev.reason);
    out += ",\"message\":";
    json_string(out, ev.diag ? std::string_view(ev.diag->message) : std::string_view());
    if (ev.diag && ev.diag->col) out += ",\"col\":" + std::to_string(ev.diag->col);
    out += '}';
  }
}

std::string_view trim_ws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

void render_annotation(const RecordEvent& ev, const AnnotateOptions& opt, std::string& out) {
  if (opt.metrics_only) {
    out += '{';
    out += "\"line\":" + std::to_string(ev.line);
    if (!opt.id_pointer.empty()) {
      out += ",\"id\":";
      std::string id = "null";
      if (!ev.raw.empty() && ev.status != RecordStatus::rejected) {
        thread_local simdjson::dom::parser parser;
        simdjson::padded_string ps(ev.raw);
        simdjson::dom::element doc;
        if (!parser.parse(ps).get(doc)) {
          auto r = doc.at_pointer(opt.id_pointer);
          if (!r.error()) id = simdjson::minify(r.value_unsafe());
        }
      }
      out += id;
    }
    if (ev.status == RecordStatus::scored) {
      auto metrics = all_metrics();
      for (size_t i = 0; i < metrics.size(); ++i) {
        if (!opt.selected.has(i)) continue;
        out += ',';
        json_string(out, metrics[i].name);
        out += ':';
        json_number(out, ev.values[i]);
      }
    } else {
      out += ',';
      std::string tmp;
      status_members(tmp, ev);
      out += tmp.substr(tmp.find(',') + 1);  // without the duplicate "line"
    }
    out += "}\n";
    return;
  }
  std::string rsq = "{";
  status_members(rsq, ev);
  if (ev.status == RecordStatus::scored) {
    rsq += ",\"metrics\":";
    metrics_object(rsq, ev.values, opt.selected);
  }
  rsq += '}';
  std::string minified;
  std::string_view raw = trim_ws(ev.raw);
  if (ev.framing != Framing::jsonl && ev.status != RecordStatus::rejected && !raw.empty()) {
    // A JSON-array or document element may span lines: one line per record out.
    thread_local simdjson::dom::parser parser;
    simdjson::padded_string ps(raw);
    simdjson::dom::element doc;
    if (!parser.parse(ps).get(doc)) {
      minified = simdjson::minify(doc);
      raw = minified;
    }
  }
  bool object = ev.status != RecordStatus::rejected && raw.size() >= 2 && raw.front() == '{' && raw.back() == '}';
  if (object) {
    std::string_view inner = trim_ws(raw.substr(1, raw.size() - 2));
    while (!inner.empty() && (inner.back() == '\n' || inner.back() == '\r')) inner.remove_suffix(1);
    out.append(raw.substr(0, raw.size() - 1));
    if (!inner.empty()) out += ',';
    out += "\"rsq\":" + rsq + "}\n";
  } else {
    out += "{\"rsq\":" + rsq + ",\"raw\":";
    json_string(out, ev.raw);
    out += "}\n";
  }
}

}  // namespace rsq
