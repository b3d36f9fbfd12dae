// Per-record JSON rendering (annotate) and the --where expression language
// (filter). The grammar, small enough to keep in one recursive-descent parser:
//   expr    := or
//   or      := and ("||" and)*
//   and     := unary ("&&" unary)*
//   unary   := "!" unary | primary
//   primary := "(" expr ")" | operand [cmp operand]
//   operand := number | metric-name
//   cmp     := "<" | "<=" | ">" | ">=" | "==" | "!="
// A bare name is true when its value is non-zero; a metric that is not
// applicable (NaN) makes every comparison false and a bare name false.
#include "rsq/annotate.h"

#include <simdjson.h>

#include <cmath>
#include <cstring>

#include "rsq/emit.h"
#include "rsq/error.h"
#include "rsq/metrics.h"
#include "output/json_text.h"

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

// ---- filter expressions -----------------------------------------------------

struct FilterExpr::Node {
  enum Kind { kOr, kAnd, kNot, kCmp, kTruthy } kind;
  std::shared_ptr<Node> a, b;
  // operands: metric index or constant
  int lm = -1, rm = -1;
  double lc = 0, rc = 0;
  std::string op;

  double operand(int m, double c, const double* v) const { return m >= 0 ? v[m] : c; }
  bool eval(const double* v) const {
    switch (kind) {
      case kOr: return a->eval(v) || b->eval(v);
      case kAnd: return a->eval(v) && b->eval(v);
      case kNot: return !a->eval(v);
      case kTruthy: {
        double x = operand(lm, lc, v);
        return !std::isnan(x) && x != 0;
      }
      case kCmp: {
        double x = operand(lm, lc, v), y = operand(rm, rc, v);
        if (std::isnan(x) || std::isnan(y)) return false;
        if (op == "<") return x < y;
        if (op == "<=") return x <= y;
        if (op == ">") return x > y;
        if (op == ">=") return x >= y;
        if (op == "==") return x == y;
        return x != y;
      }
    }
    return false;
  }
};

namespace {

struct Parser {
  const std::string& s;
  size_t i = 0;
  int depth = 0;
  using NodeP = std::shared_ptr<FilterExpr::Node>;

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(ErrorKind::usage, "--where: " + what + " at column " + std::to_string(i + 1) + " in '" + s + "'");
  }
  void ws() {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  }
  bool eat(const char* t) {
    ws();
    size_t n = std::strlen(t);
    if (s.compare(i, n, t) == 0) {
      i += n;
      return true;
    }
    return false;
  }
  NodeP bin(FilterExpr::Node::Kind k, NodeP a, NodeP b) {
    auto n = std::make_shared<FilterExpr::Node>();
    n->kind = k;
    n->a = std::move(a);
    n->b = std::move(b);
    return n;
  }
  NodeP expr() {
    NodeP l = conj();
    while (eat("||")) l = bin(FilterExpr::Node::kOr, l, conj());
    return l;
  }
  NodeP conj() {
    NodeP l = unary();
    while (eat("&&")) l = bin(FilterExpr::Node::kAnd, l, unary());
    return l;
  }
  NodeP unary() {
    ws();
    if (i < s.size() && s[i] == '!' && (i + 1 >= s.size() || s[i + 1] != '=')) {
      ++i;
      if (++depth > 100) fail("negations nested deeper than 100");
      auto n = bin(FilterExpr::Node::kNot, unary(), nullptr);
      --depth;
      return n;
    }
    return primary();
  }
  // number or metric name -> (metric index, constant)
  void operand(int& m, double& c) {
    ws();
    if (i >= s.size()) fail("expected a metric name or a number");
    char ch = s[i];
    if (std::isdigit(static_cast<unsigned char>(ch)) || ch == '-' || ch == '+' || ch == '.') {
      size_t used = 0;
      try {
        c = std::stod(s.substr(i), &used);
      } catch (...) {
        fail("bad number");
      }
      i += used;
      m = -1;
      return;
    }
    if (!(std::isalpha(static_cast<unsigned char>(ch)) || ch == '_')) fail(std::string("unexpected '") + ch + "'");
    size_t b = i;
    while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
    std::string name = s.substr(b, i - b);
    auto metrics = all_metrics();
    for (size_t k = 0; k < metrics.size(); ++k)
      if (metrics[k].name == name) {
        m = static_cast<int>(k);
        return;
      }
    i = b;
    std::string hint = closest_metric(name);
    fail("unknown metric '" + name + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
         "; 'rsq filter --help' lists the names");
  }
  NodeP primary() {
    if (eat("(")) {
      if (++depth > 100) fail("parentheses nested deeper than 100");
      NodeP e = expr();
      --depth;
      if (!eat(")")) fail("expected ')'");
      return e;
    }
    auto n = std::make_shared<FilterExpr::Node>();
    operand(n->lm, n->lc);
    ws();
    for (const char* op : {"<=", ">=", "==", "!=", "<", ">"}) {
      if (eat(op)) {
        n->kind = FilterExpr::Node::kCmp;
        n->op = op;
        operand(n->rm, n->rc);
        return n;
      }
    }
    if (n->lm < 0) fail("a number alone is not a condition");
    n->kind = FilterExpr::Node::kTruthy;
    return n;
  }
};

}  // namespace

FilterExpr FilterExpr::parse(const std::string& text) {
  FilterExpr f;
  // Split the top level on && (outside parentheses) so each clause is
  // reported by itself in the funnel and the reasons file.
  std::vector<std::string> parts;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '(') ++depth;
    if (text[i] == ')') --depth;
    if (depth == 0 && text.compare(i, 2, "&&") == 0) {
      parts.push_back(text.substr(start, i - start));
      start = i + 2;
      ++i;
    }
  }
  parts.push_back(text.substr(start));
  for (auto& p : parts) {
    std::string t(trim_ws(p));
    if (t.empty()) throw Error(ErrorKind::usage, "--where: empty clause in '" + text + "'");
    Parser ps{t};
    auto node = ps.expr();
    ps.ws();
    if (ps.i != t.size()) ps.fail("unexpected text");
    f.clauses_.push_back(node);
    f.clause_text_.push_back(t);
  }
  return f;
}

MetricSelection FilterExpr::metrics_used() const {
  std::vector<std::string> used;
  std::vector<const Node*> stack;  // depth-first walk of the expression tree
  for (const auto& c : clauses_) stack.push_back(c.get());
  while (!stack.empty()) {
    const Node* n = stack.back();
    stack.pop_back();
    if (!n) continue;
    if (n->lm >= 0) used.emplace_back(all_metrics()[static_cast<size_t>(n->lm)].name);
    if (n->rm >= 0) used.emplace_back(all_metrics()[static_cast<size_t>(n->rm)].name);
    stack.push_back(n->a.get());
    stack.push_back(n->b.get());
  }
  return MetricSelection::of_names(used);
}

bool FilterExpr::evaluate(const double* values, std::vector<char>& failed) const {
  failed.assign(clauses_.size(), 0);
  bool all = true;
  for (size_t k = 0; k < clauses_.size(); ++k)
    if (!clauses_[k]->eval(values)) {
      failed[k] = 1;
      all = false;
    }
  return all;
}

}  // namespace rsq
