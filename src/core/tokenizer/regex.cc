// The pre-tokenizers' and normalizers' regular expressions (tokenizer/
// tokenizer.h) on PCRE2: UTF-8 with Unicode properties, JIT-compiled when
// the platform allows. Patterns are compiled once per tokenizer and matched
// by every worker with its own match data and JIT stack. Hugging Face
// matches with Oniguruma, tiktoken with Rust's regex; both read `\s` as
// Unicode White_Space, which PCRE2 10.42's \s is not (it leaves out U+0085),
// so \s and \S are spelled out here.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "rsq/error.h"
#include "tokenizer/tokenizer.h"

namespace rsq::tok {
namespace {

// Unicode White_Space (PropList.txt), without brackets.
constexpr const char* kWhiteSpace =
    "\\t\\n\\x{0B}\\f\\r \\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}";

pcre2_code* as_code(void* p) { return static_cast<pcre2_code*>(p); }

}  // namespace

std::string translate_pattern(std::string_view p, const std::string& where) {
  std::string out;
  out.reserve(p.size() + 64);
  bool in_class = false;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\' && i + 1 < p.size()) {
      char n = p[i + 1];
      if (n == 's') {
        out += in_class ? std::string(kWhiteSpace) : "[" + std::string(kWhiteSpace) + "]";
      } else if (n == 'S') {
        if (in_class) throw Error(ErrorKind::usage, where + ": \\S inside a character class is not supported");
        out += "[^" + std::string(kWhiteSpace) + "]";
      } else {
        out += c;
        out += n;
      }
      ++i;
      continue;
    }
    if (!in_class && c == '[') {
      in_class = true;
      out += c;
      // A ']' right after '[' or '[^' is a literal.
      if (i + 1 < p.size() && p[i + 1] == '^') out += p[++i];
      if (i + 1 < p.size() && p[i + 1] == ']') out += p[++i];
      continue;
    }
    if (in_class && c == '[' && i + 1 < p.size() && p[i + 1] == ':')
      throw Error(ErrorKind::usage, where + ": POSIX classes ([:alpha:]) are not supported");
    if (in_class && c == ']') in_class = false;
    out += c;
  }
  return out;
}

Regex::Regex(const std::string& pattern, const std::string& where) {
  const std::string p = translate_pattern(pattern, where);
  int err = 0;
  PCRE2_SIZE off = 0;
  pcre2_code* c = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(p.data()), p.size(), PCRE2_UTF | PCRE2_UCP, &err, &off,
                                nullptr);
  if (!c) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(err, msg, sizeof msg);
    throw Error(ErrorKind::usage, where + ": the pattern does not compile (" + reinterpret_cast<const char*>(msg) +
                                      " at offset " + std::to_string(off) + ")");
  }
  code_ = c;
  jit_ = pcre2_jit_compile(c, PCRE2_JIT_COMPLETE) == 0;
}

Regex::~Regex() { pcre2_code_free(as_code(code_)); }

Matcher::Matcher() {
  data_ = pcre2_match_data_create(4, nullptr);
  context_ = pcre2_match_context_create(nullptr);
  // Long white-space runs backtrack (\s+(?!\S)); the default 32 KiB JIT
  // stack is not enough for a megabyte of spaces.
  stack_ = pcre2_jit_stack_create(32 * 1024, 64 * 1024 * 1024, nullptr);
  pcre2_jit_stack_assign(static_cast<pcre2_match_context*>(context_), nullptr, stack_);
}

Matcher::~Matcher() {
  pcre2_jit_stack_free(static_cast<pcre2_jit_stack*>(stack_));
  pcre2_match_context_free(static_cast<pcre2_match_context*>(context_));
  pcre2_match_data_free(static_cast<pcre2_match_data*>(data_));
}

void Matcher::find_all(const Regex& re, std::string_view s, std::vector<std::pair<uint32_t, uint32_t>>& out) {
  auto* md = static_cast<pcre2_match_data*>(data_);
  auto* mc = static_cast<pcre2_match_context*>(context_);
  const auto* subject = reinterpret_cast<PCRE2_SPTR>(s.data());
  size_t pos = 0;
  while (pos <= s.size()) {
    int rc = re.jit() ? pcre2_jit_match(as_code(re.code()), subject, s.size(), pos, PCRE2_NO_UTF_CHECK, md, mc)
                      : pcre2_match(as_code(re.code()), subject, s.size(), pos, PCRE2_NO_UTF_CHECK, md, mc);
    if (rc == PCRE2_ERROR_NOMATCH) return;
    if (rc < 0) {
      PCRE2_UCHAR msg[256];
      pcre2_get_error_message(rc, msg, sizeof msg);
      throw Error(ErrorKind::data, std::string("tokenizer pattern: ") + reinterpret_cast<const char*>(msg));
    }
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
    size_t b = ov[0], e = ov[1];
    if (e == b) {
      // An empty match splits nothing; step one code point, as
      // Oniguruma's find_iter does.
      if (b >= s.size()) return;
      pos = b + 1;
      while (pos < s.size() && (static_cast<unsigned char>(s[pos]) & 0xC0) == 0x80) ++pos;
      continue;
    }
    out.emplace_back(static_cast<uint32_t>(b), static_cast<uint32_t>(e));
    pos = e;
  }
}

}  // namespace rsq::tok
