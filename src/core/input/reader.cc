// The reader (rsq/reader.h): strips a BOM, picks the framing from the first
// bytes, and does the bookkeeping every framing shares (chunk sequence
// numbers, bytes consumed). The framings themselves live beside this file.
#include <algorithm>
#include <cstring>

#include "input/framing.h"
#include "input/json_scan.h"
#include "rsq/reader.h"

namespace rsq {

const char* framing_name(Framing f) {
  switch (f) {
    case Framing::jsonl: return "jsonl";
    case Framing::array: return "json-array";
    case Framing::document: return "json-document";
  }
  return "?";
}

struct Reader::Impl {
  input::InputState st;
  Framing framing = Framing::jsonl;
  std::unique_ptr<input::Framer> framer;
  bool started = false;
  uint64_t seq = 0;
  uint64_t reported = 0;  // decompressed bytes handed out in chunks

  Impl(ByteSource& s, ReaderOptions o) : st(s, o) {}

  // A file is framed as one JSON array only when the array is the whole
  // input. An array that closes on its first line and is followed by more
  // lines is JSONL whose first record happens to be an array (rejected and
  // counted like any non-object record), not an array that swallows the file.
  bool one_line_array_then_more(const std::vector<char>& b, size_t from, size_t len) const {
    const char* nl = static_cast<const char*>(std::memchr(b.data() + from, '\n', len - from));
    if (!nl) return false;  // the first line does not fit in the first block: an array
    const size_t end = static_cast<size_t>(nl - b.data());
    input::Scanner sc;
    sc.feed(b.data(), from, end, [](int, size_t, uint64_t, uint64_t) {}, [](int, size_t) {}, [](int, size_t) {});
    if (!sc.root_done || sc.depth != 0 || sc.trailing_at >= 0) return false;
    for (size_t k = end + 1; k < len; ++k)
      if (!input::is_ws(b[k])) return true;
    return !st.eof;  // more input follows the first line
  }

  bool next(Chunk& c) {
    c.spans.clear();
    c.rejects.clear();
    c.input_errors.clear();
    c.notes.clear();
    c.bytes = 0;
    c.seq = seq;
    if (!started) return start(c);
    bool got = framer->next(c);
    if (got) ++seq;
    account(c);
    return got;
  }

  // Bytes consumed = read minus still carried; the same total whatever the
  // chunking (for progress and the report's `bytes`).
  void account(Chunk& c) {
    uint64_t consumed = st.total_read - st.carry.size();
    c.bytes = consumed - reported;
    reported = consumed;
  }

  // Reads the first block, strips a BOM and picks the framing.
  bool start(Chunk& c) {
    started = true;
    std::vector<char> b;
    // A fixed first read (not the block size): the framing decision must not
    // depend on the chunking (the fuzz invariant).
    size_t len = st.fill(b, 0, size_t{1} << 16);
    size_t skip = 0;
    if (st.src.jsonl_only()) {  // a shard: the file's start decided (source.h)
      // Only the first shard starts at the file's start, where a BOM can be.
      if (st.src.first_line() == 1 && len >= 3 && static_cast<unsigned char>(b[0]) == 0xEF &&
          static_cast<unsigned char>(b[1]) == 0xBB && static_cast<unsigned char>(b[2]) == 0xBF)
        skip = 3;
      c.bytes += skip;
      st.carry.assign(b.begin() + static_cast<long>(skip), b.begin() + static_cast<long>(len));
      framer = input::jsonl_framer(st);
      bool got = framer->next(c);
      if (got) ++seq;
      account(c);
      return got || !c.input_errors.empty();
    }
    if (len >= 3 && static_cast<unsigned char>(b[0]) == 0xEF && static_cast<unsigned char>(b[1]) == 0xBB &&
        static_cast<unsigned char>(b[2]) == 0xBF)
      skip = 3;
    size_t i = skip;
    while (i < len && input::is_ws(b[i])) ++i;
    if (i < len && b[i] == '[') {
      framing = one_line_array_then_more(b, i, len) ? Framing::jsonl : Framing::array;
    } else if (i < len && b[i] == '{') {
      size_t j = i + 1;
      while (j < len && (b[j] == ' ' || b[j] == '\t' || b[j] == '\r')) ++j;
      if (j < len && b[j] == '\n') framing = Framing::document;
    }
    c.bytes += skip;
    st.carry.assign(b.begin() + static_cast<long>(skip), b.begin() + static_cast<long>(len));
    if (framing != Framing::jsonl)
      c.notes.push_back({Severity::note, "framing",
                         std::string("input is a ") + (framing == Framing::array ? "JSON array" : "JSON document") +
                             "; each element is one record",
                         0, 0});
    framer = framing == Framing::array ? input::array_framer(st)
             : framing == Framing::document ? input::document_framer(st)
                                            : input::jsonl_framer(st);
    bool got = framer->next(c);
    if (got) ++seq;
    account(c);
    return got || !c.notes.empty() || !c.input_errors.empty();
  }
};

Reader::Reader(ByteSource& src, ReaderOptions opt) : impl_(std::make_unique<Impl>(src, opt)) {}
Reader::~Reader() = default;
bool Reader::next(Chunk& c) { return impl_->next(c); }
Framing Reader::framing() const { return impl_->framing; }

}  // namespace rsq
