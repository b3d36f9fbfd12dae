// output.h — where results go: stdout (a closed pipe is a quiet success, as
// `rsq score ... | head` expects) or -o FILE. A FILE rsq owns — a regular
// file or a new one — is written to a temporary file beside it and renamed
// into place only when complete, keeping the old file's mode and owner; a
// symlink is followed and its target replaced, so the link survives. Anything
// else (a character device such as /dev/null, a FIFO, a socket) is not rsq's
// to replace: it is opened and written directly, like a shell redirection.
// A FILE named *.zst or *.gz is written compressed (zstd level 3, gzip level
// 6), as the readers detect it; *.bz2, *.xz and *.lz4 are refused.
// The rules are written down in docs/cli.md ("Output files").
#pragma once
#include <memory>
#include <string>

namespace rsq::cli {

// Streams output. Throws rsq::Error(io) on failure (ENOSPC included).
class OutputStream {
 public:
  explicit OutputStream(const std::string& path);  // "" or "-" = stdout
  ~OutputStream();  // removes an uncommitted temporary file
  OutputStream(const OutputStream&) = delete;
  OutputStream& operator=(const OutputStream&) = delete;
  void write(const std::string& data);
  // Completes the output: for a replaced file, fsync + rename; otherwise the
  // descriptor is closed and its close error (NFS, a full device) reported.
  void commit();
  bool closed() const { return closed_; }

 private:
  struct Codec;
  void raw_write(const char* p, size_t n);
  std::unique_ptr<Codec> codec_;  // compresses by the file's extension
  std::string path_;    // as the user gave it (for messages)
  std::string target_;  // the file that is replaced (symlinks resolved)
  std::string tmp_;     // temporary file beside target_, "" when writing directly
  int fd_ = 1;
  bool owns_fd_ = false, closed_ = false, committed_ = false;
};

// Thrown by OutputStream::write when the reader of stdout (or of a FIFO, a
// socket) went away.
struct PipeClosed {};

// Writes `data` to `path` ("" or "-" = stdout) as one OutputStream.
void write_output(const std::string& path, const std::string& data);

}  // namespace rsq::cli
