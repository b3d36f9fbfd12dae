// JSON array framing: a top-level array whose elements are the records,
// streamed block by block through the structural scanner; an element that
// crosses a block is carried to the next one.
#include <cstring>

#include "input/framing.h"
#include "input/json_scan.h"

namespace rsq::input {
namespace {

class Array final : public Framer {
 public:
  explicit Array(InputState& s) : st(s) {}
  bool next(Chunk& c) override { return next_array(c); }

 private:
  InputState& st;
  Scanner sc;
  long long elem_start = -1;  // offset in the current buffer of the open element
  uint64_t elem_line = 0, elem_col = 0;
  bool elem_skipping = false;  // the open element exceeded the cap
  bool array_closed_checked = false;
  bool carry_scanned = false;  // the carried bytes went through the scanner already

  bool next_array(Chunk& c) {
    if (st.eof && st.carry.empty()) {
      finish_array(c);
      return !c.input_errors.empty() || !c.rejects.empty();
    }
    auto& b = c.buf;
    size_t n = st.carry.size();
    size_t want = std::max(st.opt.block_bytes, n + (st.opt.block_bytes >> 2));
    if (b.size() < want + kParsePadding) b.resize(want + kParsePadding);
    if (n) std::memcpy(b.data(), st.carry.data(), n);
    st.carry.clear();
    size_t scan_from = carry_scanned ? n : 0;
    size_t len = st.fill(b, n, want);
    for (;;) {
      sc.feed(
          b.data(), scan_from, len,
          [&](int depth, size_t pos, uint64_t ln, uint64_t col) {
            if (depth == 1) {
              elem_start = static_cast<long long>(pos);
              elem_line = ln;
              elem_col = col;
              elem_skipping = false;
            }
          },
          [&](int depth, size_t end) {
            if (depth == 1 && elem_start >= 0) {
              // Every element is held to the cap, whether or not it crossed a
              // read block (the same decision JSONL makes per line).
              const size_t elen = end - static_cast<size_t>(elem_start);
              if (!elem_skipping && elen > st.opt.max_record_bytes) {
                c.rejects.push_back(st.too_long(elem_line, elem_col));
              } else if (!elem_skipping) {
                c.spans.push_back({static_cast<size_t>(elem_start), elen, elem_line, elem_col});
              }
              elem_start = -1;
            }
          },
          [](int, size_t) {});
      if (elem_start >= 0 && !elem_skipping && static_cast<size_t>(len - static_cast<size_t>(elem_start)) > st.opt.max_record_bytes) {
        c.rejects.push_back(st.too_long(elem_line, elem_col));
        elem_skipping = true;
      }
      if (st.eof) {
        size_t consumed = len;
        c.bytes += consumed;
        finish_array(c);
        return true;
      }
      if (elem_start >= 0 && !elem_skipping && c.spans.empty() && c.rejects.empty()) {
        // One element larger than the block: read more into the same buffer.
        scan_from = len;
        size_t grow = std::max(b.size() * 2, len + st.opt.block_bytes);
        len = st.fill(b, len, grow);
        continue;
      }
      // Carry the open element (if any) to the next buffer and rebase.
      size_t keep_from = (elem_start >= 0 && !elem_skipping) ? static_cast<size_t>(elem_start) : len;
      st.carry.assign(b.begin() + static_cast<long>(keep_from), b.begin() + static_cast<long>(len));
      carry_scanned = true;
      sc.line_start -= static_cast<long long>(keep_from);
      if (elem_start >= 0 && !elem_skipping) elem_start = 0;
      c.bytes += keep_from;
      return true;
    }
  }

  void finish_array(Chunk& c) {
    if (array_closed_checked) return;
    array_closed_checked = true;
    if (elem_start >= 0 && !elem_skipping) {
      bool damaged = !st.src.damage().empty();
      c.rejects.push_back({Severity::error, damaged ? "truncated-input" : "bad-json",
                           damaged ? "record cut off by the end of a damaged input stream"
                                   : "invalid JSON: the input ends inside this array element",
                           elem_line, elem_col});
      elem_start = -1;
    }
    if (sc.depth > 0 && st.src.damage().empty())
      c.input_errors.push_back({Severity::error, "bad-json", "the top-level JSON array is not closed", sc.line, 0});
    if (sc.trailing_at >= 0)
      c.input_errors.push_back(
          {Severity::error, "trailing-data", "unexpected data after the end of the top-level JSON array", sc.line, 0});
    st.report_damage(c);
  }
};

}  // namespace

std::unique_ptr<Framer> array_framer(InputState& st) { return std::make_unique<Array>(st); }

}  // namespace rsq::input
