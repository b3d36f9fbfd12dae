// Trace splitting (rsq/record.h split_trace): cutting a reasoning trace out
// of a response by tag pairs — the user's --think-tags first, then <think>,
// <|begin_of_thought|> and <reasoning> — and recording how the trace was
// delimited (closed, open-only = truncated, close-only, untagged).
#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <vector>

#include "input/text_util.h"
#include "rsq/record.h"

namespace rsq {

using input::trim;

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
  if (!pick) {
    // The built-in tags all start with '<': one walk over the '<' of r
    // finds the earliest of the six instead of six searches of the whole
    // response (most have no tag at all). At one position at most one tag
    // can match; pairs are tried in order, as above.
    const auto& bt = builtin_tags();
    for (size_t at = r.find('<'); at != std::string_view::npos && !pick; at = r.find('<', at + 1)) {
      if (at + 1 >= r.size()) break;
      const char c1 = r[at + 1];
      if (c1 != 't' && c1 != '|' && c1 != 'r' && c1 != '/') continue;
      const std::string_view rest = r.substr(at);
      for (const auto& t : bt)
        if (rest.starts_with(t.open) || rest.starts_with(t.close)) {
          pick = &t;
          break;
        }
    }
  }
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

namespace {
bool reasoning_name(std::string_view name) {
  std::string low(name);
  for (char& c : low)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  static constexpr std::string_view kWords[] = {"think",     "thought",   "reason",   "reflect", "scratch",
                                                "analy",     "monologue", "rationale", "deliberat", "chain_of"};
  for (auto w : kWords)
    if (low.find(w) != std::string::npos) return true;
  return low == "cot";
}
bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == ':';
}
}  // namespace

std::pair<std::string_view, std::string_view> find_unknown_tags(std::string_view r) {
  const size_t limit = std::min<size_t>(r.size(), 4096);
  // The candidates are the '<' and '[' of the first 4 KiB, found by memchr
  // (vectorised) instead of a byte loop: untagged responses are the common
  // case, and the byte loop over their first 4 KiB was ~10 instructions a byte.
  auto next = [&](char ch, size_t from) {
    if (from >= limit) return limit;
    const void* at = std::memchr(r.data() + from, ch, limit - from);
    return at ? static_cast<size_t>(static_cast<const char*>(at) - r.data()) : limit;
  };
  size_t next_lt = next('<', 0), next_br = next('[', 0);
  while (std::min(next_lt, next_br) < limit) {
    const size_t i = std::min(next_lt, next_br);
    const char c = r[i];
    if (c == '<') next_lt = next('<', i + 1);
    else next_br = next('[', i + 1);
    const bool special = c == '<' && i + 1 < r.size() && r[i + 1] == '|';
    size_t b = i + (special ? 2 : 1), e = b;
    while (e < r.size() && e - b < 40 && name_char(r[e])) ++e;
    if (e == b || !((r[b] >= 'a' && r[b] <= 'z') || (r[b] >= 'A' && r[b] <= 'Z'))) continue;
    const std::string_view end = special ? "|>" : c == '<' ? ">" : "]";
    if (r.substr(e, end.size()) != end) continue;
    const std::string_view name = r.substr(b, e - b);
    if (!reasoning_name(name)) continue;
    const std::string_view open = r.substr(i, e + end.size() - i);
    std::vector<std::string> closes;
    if (special) {
      std::string n(name);
      closes.push_back("<|/" + n + "|>");
      for (std::string_view from : {"begin_of_", "start_of_", "begin_", "start_"})
        if (n.rfind(from, 0) == 0) closes.push_back("<|" + std::string(from.find("_of_") != std::string_view::npos ? "end_of_" : "end_") + n.substr(from.size()) + "|>");
      closes.push_back("<|end_of_" + n + "|>");
      closes.push_back("<|end_" + n + "|>");
      for (std::string_view from : {"_begin", "_start"})
        if (n.size() > from.size() && n.compare(n.size() - from.size(), from.size(), from) == 0)
          closes.push_back("<|" + n.substr(0, n.size() - from.size()) + "_end|>");
    } else if (c == '<') {
      closes.push_back("</" + std::string(name) + ">");
    } else {
      closes.push_back("[/" + std::string(name) + "]");
    }
    for (const auto& cl : closes) {
      size_t at = r.find(cl, i + open.size());
      if (at != std::string_view::npos) return {open, r.substr(at, cl.size())};
    }
  }
  return {};
}

}  // namespace rsq
