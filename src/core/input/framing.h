// input/framing.h (internal) — one interface for the three framings of
// rsq/reader.h (jsonl.cc, array.cc, document.cc) and the input state they
// share with the reader: the source, the bytes carried between chunks, the
// running totals. A framing fills a chunk with whole records; the reader
// (reader.cc) picks the framing from the first bytes and does the
// bookkeeping common to all of them.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "rsq/reader.h"

namespace rsq::input {

struct InputState {
  ByteSource& src;
  ReaderOptions opt;
  bool eof = false;
  bool damage_reported = false;
  uint64_t total_read = 0;  // decompressed bytes read
  std::vector<char> carry;  // bytes read but not yet handed out (the next chunk starts with them)

  InputState(ByteSource& s, ReaderOptions o) : src(s), opt(o) {}
  // Reads into b[len..want); returns the new length (stops early only at EOF).
  template <class Buf>
  size_t fill(Buf& b, size_t len, size_t want) {
    if (b.size() < want + kParsePadding) b.resize(want + kParsePadding);
    while (len < want && !eof) {
      size_t r = src.read(b.data() + len, want - len);
      if (r == 0) eof = true;
      len += r;
      total_read += r;
    }
    return len;
  }

  void report_damage(Chunk& c) {
    if (damage_reported || src.damage().empty()) return;
    damage_reported = true;
    c.input_errors.push_back({Severity::error, "truncated-input", src.damage(), 0, 0});
  }

  Diagnostic too_long(uint64_t at, uint64_t col = 1) const {
    return {Severity::error, "line-too-long",
            "record is longer than --max-line-bytes (" + std::to_string(opt.max_record_bytes) + " bytes); skipped",
            at, col};
  }
};

class Framer {
 public:
  virtual ~Framer() = default;
  // Fills c (cleared by the caller) from st.carry and the source; returns
  // false when the input is exhausted and c holds nothing.
  virtual bool next(Chunk& c) = 0;
};

std::unique_ptr<Framer> jsonl_framer(InputState& st);
std::unique_ptr<Framer> array_framer(InputState& st);
std::unique_ptr<Framer> document_framer(InputState& st);

}  // namespace rsq::input
