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
};

// path "-" is standard input.
std::unique_ptr<ByteSource> open_source(const std::string& path);

// An in-memory source (tests, fuzzing); decompresses by magic like files.
std::unique_ptr<ByteSource> memory_source(std::string bytes);

const char* compression_name(Compression c);

}  // namespace rsq
