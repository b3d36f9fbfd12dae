// rsq/reader.h — record framing. The reader turns a ByteSource into Chunks:
// a buffer of whole records plus, for each record, its span and 1-based line
// and column. It is the only stage that sees raw bytes, so it owns the input
// conventions: a UTF-8 BOM, CRLF, a missing final newline, lines longer than
// the cap (a counted rejection, never a crash), and truncated compressed
// input. Three framings are recognised from the first bytes:
//   jsonl     one JSON value per line (the default),
//   array     a top-level JSON array: each element is a record (streamed),
//   document  a pretty-printed top-level object wrapping the records (e.g.
//             {"responses": [...]}, {"questions": {"id": {...}}}): the largest
//             member that is an array of objects or an id-keyed object of
//             objects holds the records. Loaded whole, up to the record cap.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "rsq/diagnostics.h"
#include "rsq/source.h"

namespace rsq {

// simdjson needs this many readable bytes after each document.
inline constexpr size_t kParsePadding = 64;
// Records per chunk at most (JSONL): bounds a chunk's span and event
// arrays when lines are tiny.
inline constexpr size_t kMaxChunkRecords = 16384;

struct ReaderOptions {
  size_t block_bytes = size_t{1} << 19;        // target chunk size (docs/design.md, "Memory")
  size_t max_record_bytes = size_t{64} << 20;  // longer records are rejected
};

enum class Framing { jsonl, array, document };
const char* framing_name(Framing f);

// A vector whose resize leaves the new bytes uninitialised. The reader
// overwrites every byte it hands out, and the padding past a record's end
// already holds stale bytes once a chunk is recycled (simdjson reads the
// padding but never depends on it), so value-initialising a fresh chunk's
// block only cost time: a memset of each block on its first use.
template <class T>
struct UninitAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = UninitAllocator<U>;
  };
  UninitAllocator() = default;
  template <class U>
  UninitAllocator(const UninitAllocator<U>&) noexcept {}
  template <class U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... A>
  void construct(U* p, A&&... a) {
    ::new (static_cast<void*>(p)) U(std::forward<A>(a)...);
  }
};
using Bytes = std::vector<char, UninitAllocator<char>>;

struct RecordSpan {
  size_t off = 0;
  size_t len = 0;
  uint64_t line = 0;
  uint64_t col = 1;
  bool crlf = false;  // the line ended in \r\n (the \r is not in the span)
};

struct Chunk {
  uint64_t seq = 0;
  Bytes buf;  // record bytes; capacity covers kParsePadding past the end
  std::vector<RecordSpan> spans;
  std::vector<Diagnostic> rejects;       // records the reader rejected: each is one input record
  std::vector<Diagnostic> input_errors;  // problems with the input as a whole (do not count as records)
  std::vector<Diagnostic> notes;         // informational (framing chosen, ...)
  uint64_t bytes = 0;                    // decompressed input bytes this chunk covers
};

class Reader {
 public:
  Reader(ByteSource& src, ReaderOptions opt);
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;
  // Fills c with the next chunk; returns false when the input is exhausted.
  bool next(Chunk& c);
  Framing framing() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rsq
