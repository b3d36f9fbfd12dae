// JSONL framing: one record per line, found with memchr. A line longer than
// --max-line-bytes is rejected (counted) and its bytes skipped; a last line
// without a newline is a record; CRLF is remembered per record so filter can
// write the line back as it was.
#include <cstring>

#include "input/framing.h"

namespace rsq::input {
namespace {

class Jsonl final : public Framer {
 public:
  explicit Jsonl(InputState& s) : st(s), line(s.src.first_line()) {}
  bool next(Chunk& c) override { return next_jsonl(c); }

 private:
  InputState& st;
  uint64_t line;  // line number of st.carry[0]

  bool next_jsonl(Chunk& c) {
    if (st.eof && st.carry.empty()) {
      st.report_damage(c);
      return !c.input_errors.empty();
    }
    auto& b = c.buf;
    size_t n = st.carry.size();
    // A carry of a block or more (left by the record cap) is parsed before
    // anything new is read: reading on would grow the carry without end.
    size_t want = n >= st.opt.block_bytes ? n : std::max(st.opt.block_bytes, n + (st.opt.block_bytes >> 2));
    if (b.size() < want + kParsePadding) b.resize(want + kParsePadding);
    if (n) std::memcpy(b.data(), st.carry.data(), n);
    st.carry.clear();
    size_t len = st.fill(b, n, want);
    size_t pos = 0;
    for (;;) {
      const char* nl = len > pos ? static_cast<const char*>(std::memchr(b.data() + pos, '\n', len - pos)) : nullptr;
      if (nl) {
        size_t end = static_cast<size_t>(nl - b.data());
        size_t l = end - pos;
        bool cr = l && b[end - 1] == '\r';
        if (cr) --l;
        if (l > st.opt.max_record_bytes) {
          c.rejects.push_back(st.too_long(line));
        } else {
          c.spans.push_back({pos, l, line, 1, cr});
        }
        ++line;
        pos = end + 1;
        // A chunk holds at most kMaxChunkRecords records, so a block of tiny
        // lines (blank, "{}") does not turn into a million spans per chunk
        // and a pool of them (docs/design.md, "Memory").
        if (c.spans.size() + c.rejects.size() >= kMaxChunkRecords && pos < len) {
          st.carry.assign(b.begin() + static_cast<long>(pos), b.begin() + static_cast<long>(len));
          break;
        }
        continue;
      }
      // No newline in [pos, len).
      if (st.eof) {
        if (pos < len) {
          if (!st.src.damage().empty()) {
            c.rejects.push_back({Severity::error, "truncated-input",
                                 "record cut off by the end of a damaged input stream", line, 1});
          } else if (len - pos > st.opt.max_record_bytes) {
            c.rejects.push_back(st.too_long(line));
          } else {
            size_t l = len - pos;
            bool cr = l && b[pos + l - 1] == '\r';
            if (cr) --l;
            c.spans.push_back({pos, l, line, 1, cr});
          }
          ++line;
          pos = len;
        }
        st.report_damage(c);
        break;
      }
      if (!c.spans.empty() || !c.rejects.empty()) {
        st.carry.assign(b.begin() + static_cast<long>(pos), b.begin() + static_cast<long>(len));
        break;
      }
      // A line longer than the block: grow, or reject once it passes the cap.
      if (len - pos > st.opt.max_record_bytes) {
        c.rejects.push_back(st.too_long(line));
        c.bytes += len;
        len = discard_to_newline(b);
        ++line;
        pos = 0;
        continue;
      }
      size_t grow = std::max(b.size() * 2, len + st.opt.block_bytes);
      len = st.fill(b, len, grow);
    }
    c.bytes += pos;
    return true;
  }

  // Drops bytes up to and including the next newline; leaves what follows in
  // b[0..ret). The buffer shrinks back to the block size.
  size_t discard_to_newline(Bytes& b) {
    b.resize(st.opt.block_bytes + kParsePadding);
    b.shrink_to_fit();
    for (;;) {
      size_t len = st.fill(b, 0, st.opt.block_bytes);
      if (len == 0) return 0;
      const char* nl = static_cast<const char*>(std::memchr(b.data(), '\n', len));
      if (nl) {
        size_t rest = len - static_cast<size_t>(nl - b.data()) - 1;
        std::memmove(b.data(), nl + 1, rest);
        return rest;
      }
      if (st.eof) return 0;
    }
  }
};

}  // namespace

std::unique_ptr<Framer> jsonl_framer(InputState& st) { return std::make_unique<Jsonl>(st); }

}  // namespace rsq::input
