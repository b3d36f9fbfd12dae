// rsq/source.h — where input bytes come from. A ByteSource hides the file or
// stdin and any decompression (gzip, zstd: detected by magic bytes, never by
// file name) and hands out plain bytes in order. Opening fails with
// rsq::Error(io) (missing file, directory, permission); a stream that ends in
// the middle of a compressed frame is not an exception but a state the reader
// turns into a diagnostic, so the records read before it still count.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace rsq {

enum class Compression { none, gzip, zstd };

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to n bytes; returns 0 only at the end of the stream. Throws
  // rsq::Error(io) on a read error.
  virtual size_t read(char* buf, size_t n) = 0;
  // After read() returned 0: why the stream ended early, or empty if it ended
  // cleanly ("truncated zstd frame", "corrupt gzip data: ...").
  virtual const std::string& damage() const = 0;
  virtual Compression compression() const = 0;
  // Raw (compressed) bytes consumed so far and the raw size when known (0 if
  // not, e.g. a pipe); used only for progress and ETA.
  virtual uint64_t raw_consumed() const = 0;
  virtual uint64_t raw_size() const = 0;
  // A shard of a file (open_shard_source): the file's line number of its
  // first byte, and that it is known to be JSONL (framing is decided from
  // the file's start, which a later shard does not see).
  virtual uint64_t first_line() const { return 1; }
  virtual bool jsonl_only() const { return false; }
};

// Shard `index` of `count` of a plain JSONL file (rsq score --shard I/N):
// the records that *start* in bytes [size·I/N, size·(I+1)/N) — a shard
// begins at the first record start at or after its range begins and ends
// where the next shard begins, so every record is in exactly one shard and
// the shards concatenate to the file. Its first line number is the file's
// (the newlines before it are counted). rsq::Error(usage) for stdin, a
// compressed file, a JSON array or document (shard those by file).
std::unique_ptr<ByteSource> open_shard_source(const std::string& path, uint64_t index, uint64_t count);

// path "-" is standard input.
std::unique_ptr<ByteSource> open_source(const std::string& path);

// An in-memory source (tests, fuzzing); decompresses by magic like files.
std::unique_ptr<ByteSource> memory_source(std::string bytes);

const char* compression_name(Compression c);

}  // namespace rsq
