// Rewriting valid JSON that simdjson refuses (input/json_fix.h). Runs only on
// records simdjson rejected and the exact checker accepted: never on the hot
// path.
#include "input/json_fix.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace rsq::input {
namespace {

int hex4(std::string_view s, size_t i) {
  if (i + 4 > s.size()) return -1;
  int v = 0;
  for (size_t k = i; k < i + 4; ++k) {
    char c = s[k];
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

// The number token [b, e) as simdjson can read it, or unchanged.
bool fix_number(std::string& out, size_t b, size_t e) {
  const std::string tok = out.substr(b, e - b);
  const bool integer = tok.find_first_of(".eE") == std::string::npos;
  errno = 0;
  if (integer) {
    if (tok[0] == '-') {
      (void)std::strtoll(tok.c_str(), nullptr, 10);
    } else {
      (void)std::strtoull(tok.c_str(), nullptr, 10);
    }
    if (errno != ERANGE) return false;
  }
  errno = 0;
  const double v = std::strtod(tok.c_str(), nullptr);
  std::string rep;
  if (!std::isfinite(v) || (errno == ERANGE && std::fabs(v) > 1)) {
    rep = "null";
  } else if (integer || errno == ERANGE) {
    char buf[40];
    for (int prec = 17; prec >= 1; --prec) {
      std::snprintf(buf, sizeof buf, "%.*g", prec, v);
      if (std::strlen(buf) <= tok.size()) break;
    }
    rep = buf;
  } else {
    return false;  // a double simdjson should read; leave the verdict to it
  }
  if (rep.size() > tok.size()) return false;
  rep.append(tok.size() - rep.size(), ' ');
  out.replace(b, tok.size(), rep);
  return true;
}

}  // namespace

bool fix_refused_json(std::string_view s, std::string& out) {
  out.assign(s);
  bool changed = false, in_str = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (in_str) {
      if (c == '"') {
        in_str = false;
      } else if (c == '\\' && i + 1 < s.size()) {
        if (s[i + 1] == 'u') {
          const int v = hex4(s, i + 2);
          if (v >= 0xD800 && v <= 0xDBFF) {
            const int lo = (i + 7 < s.size() && s[i + 6] == '\\' && s[i + 7] == 'u') ? hex4(s, i + 8) : -1;
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
              i += 11;  // a valid pair
              continue;
            }
            out.replace(i, 6, "\\ufffd");
            changed = true;
          } else if (v >= 0xDC00 && v <= 0xDFFF) {
            out.replace(i, 6, "\\ufffd");  // a low surrogate without its high half
            changed = true;
          }
          i += 5;
        } else {
          ++i;
        }
      }
      continue;
    }
    if (c == '"') {
      in_str = true;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      size_t e = i;
      while (e < s.size() && (std::strchr("+-.eE", s[e]) || (s[e] >= '0' && s[e] <= '9'))) ++e;
      changed |= fix_number(out, i, e);
      i = e - 1;
    }
  }
  return changed;
}

}  // namespace rsq::input
