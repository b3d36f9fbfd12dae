// Recursive-descent JSON validator for error messages (RFC 8259, UTF-8). It
// is deliberately simple and only runs on records simdjson rejected.
#include "input/json_check.h"

#include <cctype>
#include <cstdint>
#include <cstdio>

namespace rsq {

size_t first_invalid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size(), i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return i;
    i += len;
  }
  return std::string_view::npos;
}

namespace {

struct P {
  std::string_view s;
  size_t i = 0;
  JsonProblem err;
  int depth = 0;

  bool fail(std::string msg) {
    if (err.ok) {
      err.ok = false;
      err.offset = i;
      err.message = "invalid JSON: " + std::move(msg);
      err.code = "bad-json";
    }
    return false;
  }
  void ws() {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
  }
  bool lit(std::string_view w) {
    if (s.substr(i, w.size()) == w) {
      i += w.size();
      return true;
    }
    return fail("unknown literal (expected a value: object, array, string, number, true, false or null)");
  }
  bool str() {
    ++i;  // opening quote
    while (i < s.size()) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (c == '"') {
        ++i;
        return true;
      }
      if (c == '\\') {
        ++i;
        if (i >= s.size()) break;
        char e = s[i];
        if (e == 'u') {
          for (int k = 1; k <= 4; ++k) {
            if (i + k >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + k]))) {
              i += static_cast<size_t>(k);
              return fail("bad \\u escape (expected 4 hex digits)");
            }
          }
          i += 5;
          continue;
        }
        if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) return fail("bad escape sequence in string");
        ++i;
        continue;
      }
      if (c < 0x20) return fail("control character in string (must be escaped)");
      if (c >= 0x80) {
        size_t bad = first_invalid_utf8(s.substr(i, 4 < s.size() - i ? 4 : s.size() - i));
        if (bad == 0) {
          err.ok = false;
          err.offset = i;
          err.message = "invalid UTF-8 byte sequence in string";
          err.code = "bad-utf8";
          return false;
        }
        i += (c >= 0xF0) ? 4 : (c >= 0xE0) ? 3 : 2;
        continue;
      }
      ++i;
    }
    return fail("unterminated string");
  }
  bool num() {
    size_t st = i;
    if (s[i] == '-') ++i;
    if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) return fail("bad number");
    if (s[i] == '0') {
      ++i;
    } else {
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    }
    if (i < s.size() && s[i] == '.') {
      ++i;
      if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) return fail("bad number (digit expected after '.')");
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
      ++i;
      if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
      if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) return fail("bad number (digit expected in exponent)");
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    }
    return i > st;
  }
  bool value() {
    ws();
    if (i >= s.size()) return fail("unexpected end of record (a value was expected)");
    if (++depth > 1024) return fail("nesting deeper than 1024 levels");
    bool ok;
    switch (s[i]) {
      case '{': ok = object(); break;
      case '[': ok = array(); break;
      case '"': ok = str(); break;
      case 't': ok = lit("true"); break;
      case 'f': ok = lit("false"); break;
      case 'n': ok = lit("null"); break;
      default:
        if (s[i] == '-' || std::isdigit(static_cast<unsigned char>(s[i]))) {
          ok = num();
        } else {
          ok = fail(std::string("unexpected character '") + printable(s[i]) + "' (a value was expected)");
        }
    }
    --depth;
    return ok;
  }
  static std::string printable(char c) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) return std::string(1, c);
    char b[8];
    std::snprintf(b, sizeof b, "\\x%02X", u);
    return b;
  }
  bool object() {
    ++i;
    ws();
    if (i < s.size() && s[i] == '}') {
      ++i;
      return true;
    }
    for (;;) {
      ws();
      if (i >= s.size()) return fail("unexpected end of record inside an object");
      if (s[i] != '"') return fail("expected '\"' to begin an object key");
      if (!str()) return false;
      ws();
      if (i >= s.size() || s[i] != ':') return fail("expected ':' after an object key");
      ++i;
      if (!value()) return false;
      ws();
      if (i >= s.size()) return fail("unexpected end of record inside an object (missing '}')");
      if (s[i] == ',') {
        ++i;
        continue;
      }
      if (s[i] == '}') {
        ++i;
        return true;
      }
      return fail("expected ',' or '}' after an object member");
    }
  }
  bool array() {
    ++i;
    ws();
    if (i < s.size() && s[i] == ']') {
      ++i;
      return true;
    }
    for (;;) {
      if (!value()) return false;
      ws();
      if (i >= s.size()) return fail("unexpected end of record inside an array (missing ']')");
      if (s[i] == ',') {
        ++i;
        continue;
      }
      if (s[i] == ']') {
        ++i;
        return true;
      }
      return fail("expected ',' or ']' after an array element");
    }
  }
};

}  // namespace

JsonProblem check_json(std::string_view text) {
  P p;
  p.s = text;
  if (p.value()) {
    p.ws();
    if (p.i < text.size()) p.fail("unexpected data after the end of the JSON value");
  }
  return p.err;
}

}  // namespace rsq
