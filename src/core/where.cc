// The --where expression language of rsq filter (rsq/where.h). The grammar,
// small enough to keep in one recursive-descent parser:
//   expr    := or
//   or      := and ("||" and)*
//   and     := unary ("&&" unary)*
//   unary   := "!" unary | primary
//   primary := "(" expr ")" | operand [cmp operand]
//   operand := number | metric-name
//   cmp     := "<" | "<=" | ">" | ">=" | "==" | "!="
// A bare name is true when its value is non-zero; a metric that is not
// applicable (NaN) makes every comparison false and a bare name false.
#include "rsq/where.h"

#include <cmath>
#include <cstring>

#include "rsq/error.h"
#include "rsq/metrics.h"

namespace rsq {

namespace {
std::string_view trim_ws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
}  // namespace

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
