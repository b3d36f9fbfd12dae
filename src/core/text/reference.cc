// The reference sentence splitter and segment counts (text/reference.h).
#include "text/reference.h"

namespace rsq::text::reference {

namespace {

bool is_ws_byte(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// Sentence terminators: ASCII . ! ? and the full-width 。！？ (no space needed).
inline size_t terminator_len(const char* p, const char* end) {
  char c = *p;
  if (c == '.' || c == '!' || c == '?') return 1;
  if (end - p >= 3 && static_cast<unsigned char>(c) == 0xE3 && static_cast<unsigned char>(p[1]) == 0x80 &&
      static_cast<unsigned char>(p[2]) == 0x82)
    return 3;  // 。
  if (end - p >= 3 && static_cast<unsigned char>(c) == 0xEF && static_cast<unsigned char>(p[1]) == 0xBC &&
      (static_cast<unsigned char>(p[2]) == 0x81 || static_cast<unsigned char>(p[2]) == 0x9F))
    return 3;  // ！？
  return 0;
}

// Calls f(begin, end) for each sentence (byte offsets) that has a non-space byte.
template <class F>
void for_each_sentence(std::string_view s, F&& f) {
  const char* b = s.data();
  const char* e = b + s.size();
  const char* start = b;
  bool content = false;
  auto emit = [&](const char* stop) {
    if (content) f(static_cast<size_t>(start - b), static_cast<size_t>(stop - b));
    content = false;
  };
  for (const char* p = b; p < e;) {
    char c = *p;
    if (c == '\n') {
      emit(p);
      start = ++p;
      continue;
    }
    size_t t = terminator_len(p, e);
    if (t) {
      const char* q = p + t;
      content = true;
      if (t == 3) {
        emit(q);
        start = p = q;
        continue;
      }
      while (q < e && (*q == '.' || *q == '!' || *q == '?' || *q == '"' || *q == '\'' || *q == ')' || *q == ']'))
        ++q;
      if (q == e || *q == ' ' || *q == '\t' || *q == '\r' || *q == '\n') {
        emit(q);
        start = p = q;
        continue;
      }
      p = q;
      continue;
    }
    if (!is_ws_byte(c)) content = true;
    ++p;
  }
  emit(e);
}

}  // namespace

SegmentCounts count_segment(std::string_view s, size_t words, bool sentences) {
  SegmentCounts c;
  c.bytes = static_cast<double>(s.size());
  size_t cont = 0;  // UTF-8 continuation bytes (branch-free, vectorises)
  for (char ch : s) cont += (static_cast<unsigned char>(ch) & 0xC0) == 0x80;
  size_t lines = 0, pos = 0;
  while (pos < s.size()) {
    size_t nl = s.find('\n', pos);
    if (nl == std::string_view::npos) nl = s.size();
    for (size_t i = pos; i < nl; ++i)
      if (!is_ws_byte(s[i])) {
        ++lines;
        break;
      }
    pos = nl + 1;
  }
  c.chars = static_cast<double>(s.size() - cont);
  c.lines = static_cast<double>(lines);
  c.words = static_cast<double>(words);
  if (sentences) c.sentences = static_cast<double>(count_sentences(s));
  return c;
}

size_t count_sentences(std::string_view s) {
  size_t n = 0;
  for_each_sentence(s, [&](size_t, size_t) { ++n; });
  return n;
}

}  // namespace rsq::text::reference
