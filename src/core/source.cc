// Input streams: file descriptors (files and stdin) or memory, with gzip and
// zstd decompression layered on top by magic number. Every byte that reaches
// the reader comes through here, so this is the only place that knows about
// compression formats and read(2) errors.
#include "rsq/source.h"
#include "rsq/reader.h"

#include <algorithm>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <vector>

#include "rsq/error.h"

namespace rsq {

namespace {

// Raw byte provider: a file descriptor or a string.
class Raw {
 public:
  virtual ~Raw() = default;
  virtual size_t read(char* buf, size_t n) = 0;
  // Written by the reader thread, read by a progress display on another:
  // atomic (relaxed: only a rough, monotone figure is needed).
  std::atomic<uint64_t> consumed{0};
  uint64_t size = 0;
};

class FdRaw final : public Raw {
 public:
  FdRaw(int fd, std::string name, bool owned) : fd_(fd), name_(std::move(name)), owned_(owned) {}
  ~FdRaw() override {
    if (owned_) ::close(fd_);
  }
  size_t read(char* buf, size_t n) override {
    for (;;) {
      ssize_t r = ::read(fd_, buf, n);
      if (r >= 0) {
        consumed.fetch_add(static_cast<uint64_t>(r), std::memory_order_relaxed);
        return static_cast<size_t>(r);
      }
      if (errno == EINTR) continue;
      throw Error(ErrorKind::io, "cannot read '" + name_ + "': " + std::strerror(errno));
    }
  }

 private:
  int fd_;
  std::string name_;
  bool owned_;
};

class MemRaw final : public Raw {
 public:
  explicit MemRaw(std::string s) : s_(std::move(s)) { size = s_.size(); }
  size_t read(char* buf, size_t n) override {
    size_t k = std::min(n, s_.size() - pos_);
    std::memcpy(buf, s_.data() + pos_, k);
    pos_ += k;
    consumed.fetch_add(k, std::memory_order_relaxed);
    return k;
  }

 private:
  std::string s_;
  size_t pos_ = 0;
};

constexpr size_t kInBuf = 1 << 17;

// Reads the first bytes for magic detection and replays them.
class Peeked {
 public:
  explicit Peeked(std::unique_ptr<Raw> raw) : raw_(std::move(raw)) {
    while (head_.size() < 4) {
      char b[4];
      size_t r = raw_->read(b, 4 - head_.size());
      if (r == 0) break;
      head_.append(b, r);
    }
  }
  size_t read(char* buf, size_t n) {
    if (pos_ < head_.size()) {
      size_t k = std::min(n, head_.size() - pos_);
      std::memcpy(buf, head_.data() + pos_, k);
      pos_ += k;
      return k;
    }
    return raw_->read(buf, n);
  }
  const std::string& head() const { return head_; }
  Raw& raw() { return *raw_; }

 private:
  std::unique_ptr<Raw> raw_;
  std::string head_;
  size_t pos_ = 0;
};

class PlainSource final : public ByteSource {
 public:
  explicit PlainSource(Peeked p) : p_(std::move(p)) {}
  size_t read(char* buf, size_t n) override { return p_.read(buf, n); }
  const std::string& damage() const override { return none_; }
  Compression compression() const override { return Compression::none; }
  uint64_t raw_consumed() const override { return const_cast<Peeked&>(p_).raw().consumed.load(std::memory_order_relaxed); }
  uint64_t raw_size() const override { return const_cast<Peeked&>(p_).raw().size; }

 private:
  Peeked p_;
  std::string none_;
};

class ZstdSource final : public ByteSource {
 public:
  explicit ZstdSource(Peeked p) : p_(std::move(p)), in_(kInBuf) {
    ds_ = ZSTD_createDStream();
    if (!ds_) throw Error(ErrorKind::internal, "cannot create zstd decompression context");
    ZSTD_initDStream(ds_);
  }
  ~ZstdSource() override { ZSTD_freeDStream(ds_); }
  size_t read(char* buf, size_t n) override {
    if (done_) return 0;
    // Output in slices: when zstd detects damage (a wrong frame checksum, a
    // corrupt block) it returns the error without reporting what that call
    // wrote, so a slice bounds what a damaged stream can lose to 4 KiB
    // instead of a whole read buffer; `zstd -dc` keeps the same data.
    size_t total = 0;
    while (total < n && !done_) {
      ZSTD_outBuffer out{buf + total, std::min<size_t>(n - total, kOutSlice), 0};
      while (out.pos == 0) {
        if (ib_.pos == ib_.size) {
          in_base_ += ib_.size;
          size_t r = p_.read(in_.data(), in_.size());
          if (r == 0) {
            // End of input: clean only if the last frame was complete.
            if (last_ != 0) damage_ = "truncated zstd stream (the input ends inside a frame at byte " + std::to_string(in_base_) + ")";
            done_ = true;
            return total;
          }
          ib_ = ZSTD_inBuffer{in_.data(), r, 0};
        }
        size_t ret = ZSTD_decompressStream(ds_, &out, &ib_);
        if (ZSTD_isError(ret)) {
          damage_ = std::string("corrupt zstd data near compressed byte ") + std::to_string(in_base_ + ib_.pos) + ": " +
                    ZSTD_getErrorName(ret);
          done_ = true;
          return total;
        }
        last_ = ret;
        if (out.pos == 0 && ret == 0 && ib_.pos == ib_.size) break;  // a frame ended exactly here
      }
      total += out.pos;
      if (out.pos < out.size) break;  // what the input had is out: hand it over
    }
    return total;
  }
  const std::string& damage() const override { return damage_; }
  Compression compression() const override { return Compression::zstd; }
  uint64_t raw_consumed() const override { return const_cast<Peeked&>(p_).raw().consumed.load(std::memory_order_relaxed); }
  uint64_t raw_size() const override { return const_cast<Peeked&>(p_).raw().size; }

 private:
  Peeked p_;
  std::vector<char> in_;
  ZSTD_inBuffer ib_{nullptr, 0, 0};
  ZSTD_DStream* ds_ = nullptr;
  size_t last_ = 0;
  uint64_t in_base_ = 0;  // compressed bytes before the current input buffer
  bool done_ = false;
  std::string damage_;
  static constexpr size_t kOutSlice = 4096;
};

class GzipSource final : public ByteSource {
 public:
  explicit GzipSource(Peeked p) : p_(std::move(p)), in_(kInBuf) {
    std::memset(&zs_, 0, sizeof zs_);
    if (inflateInit2(&zs_, 15 + 32) != Z_OK) throw Error(ErrorKind::internal, "cannot create zlib context");
  }
  ~GzipSource() override { inflateEnd(&zs_); }
  size_t read(char* buf, size_t n) override {
    if (done_) return 0;
    zs_.next_out = reinterpret_cast<Bytef*>(buf);
    zs_.avail_out = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
    size_t want = zs_.avail_out;
    while (zs_.avail_out == want) {
      if (zs_.avail_in == 0) {
        size_t r = p_.read(in_.data(), in_.size());
        if (r == 0) {
          if (in_member_) damage_ = "truncated gzip stream (the input ends inside a member)";
          done_ = true;
          break;
        }
        zs_.next_in = reinterpret_cast<Bytef*>(in_.data());
        zs_.avail_in = static_cast<uInt>(r);
      }
      in_member_ = true;
      int ret = inflate(&zs_, Z_NO_FLUSH);
      if (ret == Z_STREAM_END) {
        // Concatenated members (as `cat a.gz b.gz` makes) are one stream.
        in_member_ = false;
        inflateReset(&zs_);
        continue;
      }
      if (ret != Z_OK && ret != Z_BUF_ERROR) {
        damage_ = std::string("corrupt gzip data: ") + (zs_.msg ? zs_.msg : "inflate failed");
        done_ = true;
        break;
      }
    }
    return want - zs_.avail_out;
  }
  const std::string& damage() const override { return damage_; }
  Compression compression() const override { return Compression::gzip; }
  uint64_t raw_consumed() const override { return const_cast<Peeked&>(p_).raw().consumed.load(std::memory_order_relaxed); }
  uint64_t raw_size() const override { return const_cast<Peeked&>(p_).raw().size; }

 private:
  Peeked p_;
  std::vector<char> in_;
  z_stream zs_;
  bool in_member_ = false;
  bool done_ = false;
  std::string damage_;
};

std::unique_ptr<ByteSource> wrap(std::unique_ptr<Raw> raw, const std::string& name) {
  Peeked p(std::move(raw));
  const std::string& h = p.head();
  auto u = [&](size_t i) { return static_cast<unsigned char>(h[i]); };
  if (h.size() >= 2 && u(0) == 0x1f && u(1) == 0x8b) return std::make_unique<GzipSource>(std::move(p));
  if (h.size() >= 4 && u(0) == 0x28 && u(1) == 0xb5 && u(2) == 0x2f && u(3) == 0xfd)
    return std::make_unique<ZstdSource>(std::move(p));
  // A skippable frame (RFC 8878 §3.1.2, magic 0x184D2A5?; pzstd starts every
  // file with one): a zstd stream, which the decoder skips through.
  if (h.size() >= 4 && (u(0) & 0xF0) == 0x50 && u(1) == 0x2a && u(2) == 0x4d && u(3) == 0x18)
    return std::make_unique<ZstdSource>(std::move(p));
  if (h.size() >= 3 && h.compare(0, 3, "BZh") == 0)
    throw Error(ErrorKind::data, "'" + name + "' is bzip2-compressed; rsq reads plain, gzip or zstd input (try: bzcat " + name + " | rsq score -)");
  if (h.size() >= 4 && u(0) == 0xfd && h.compare(1, 3, "7zX") == 0)
    throw Error(ErrorKind::data, "'" + name + "' is xz-compressed; rsq reads plain, gzip or zstd input (try: xzcat " + name + " | rsq score -)");
  return std::make_unique<PlainSource>(std::move(p));
}

}  // namespace

std::unique_ptr<ByteSource> open_source(const std::string& path) {
  if (path == "-") {
    auto raw = std::make_unique<FdRaw>(0, "<stdin>", false);
    return wrap(std::move(raw), "<stdin>");
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(ErrorKind::io, "cannot open '" + path + "': " + std::strerror(errno));
  struct stat st{};
  if (::fstat(fd, &st) != 0) {
    int e = errno;
    ::close(fd);
    throw Error(ErrorKind::io, "cannot stat '" + path + "': " + std::strerror(e));
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw Error(ErrorKind::io, "'" + path + "' is a directory; pass the files inside it (e.g. " + path + "/*.jsonl)");
  }
#ifdef POSIX_FADV_SEQUENTIAL
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  auto raw = std::make_unique<FdRaw>(fd, path, true);
  if (S_ISREG(st.st_mode)) raw->size = static_cast<uint64_t>(st.st_size);
  return wrap(std::move(raw), path);
}

namespace {

class ShardSource final : public ByteSource {
 public:
  ShardSource(int fd, uint64_t begin, uint64_t end, uint64_t first_line)
      : fd_(fd), pos_(begin), begin_(begin), end_(end), first_line_(first_line) {}
  ~ShardSource() override { ::close(fd_); }
  size_t read(char* buf, size_t n) override {
    if (pos_ >= end_) return 0;
    n = static_cast<size_t>(std::min<uint64_t>(n, end_ - pos_));
    for (;;) {
      ssize_t r = ::pread(fd_, buf, n, static_cast<off_t>(pos_));
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) throw Error(ErrorKind::io, std::string("read error: ") + std::strerror(errno));
      if (r == 0) {  // the file shrank under us: end here, and say so
        damage_ = "the file is shorter than when its shard was planned";
        end_ = pos_;
        return 0;
      }
      pos_ += static_cast<uint64_t>(r);
      return static_cast<size_t>(r);
    }
  }
  const std::string& damage() const override { return damage_; }
  Compression compression() const override { return Compression::none; }
  uint64_t raw_consumed() const override { return pos_ - begin_; }
  uint64_t raw_size() const override { return end_ - begin_; }
  uint64_t first_line() const override { return first_line_; }
  bool jsonl_only() const override { return true; }

 private:
  int fd_;
  uint64_t pos_, begin_, end_, first_line_;
  std::string damage_;
};

size_t pread_full(int fd, char* buf, size_t n, uint64_t at) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = ::pread(fd, buf + got, n - got, static_cast<off_t>(at + got));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) throw Error(ErrorKind::io, std::string("read error: ") + std::strerror(errno));
    if (r == 0) break;
    got += static_cast<size_t>(r);
  }
  return got;
}

}  // namespace

std::unique_ptr<ByteSource> open_shard_source(const std::string& path, uint64_t index, uint64_t count) {
  if (path == "-") throw Error(ErrorKind::usage, "--shard needs a file: standard input cannot be split by byte ranges");
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(ErrorKind::io, "cannot open '" + path + "': " + std::strerror(errno));
  struct Closer {
    int& fd;
    ~Closer() {
      if (fd >= 0) ::close(fd);
    }
  } closer{fd};
  struct stat st{};
  if (::fstat(fd, &st) != 0) throw Error(ErrorKind::io, "cannot stat '" + path + "': " + std::strerror(errno));
  if (!S_ISREG(st.st_mode))
    throw Error(ErrorKind::usage, "--shard needs a regular file; '" + path + "' is not one (shard by file instead)");
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  std::string head(std::min<uint64_t>(size, 1 << 16), '\0');
  head.resize(pread_full(fd, head.data(), head.size(), 0));
  auto u = [&](size_t i) { return static_cast<unsigned char>(head[i]); };
  if ((head.size() >= 2 && u(0) == 0x1f && u(1) == 0x8b) ||
      (head.size() >= 4 && ((u(0) == 0x28 && u(1) == 0xb5 && u(2) == 0x2f && u(3) == 0xfd) ||
                            ((u(0) & 0xF0) == 0x50 && u(1) == 0x2a && u(2) == 0x4d && u(3) == 0x18))) ||
      head.compare(0, 3, "BZh") == 0 || (head.size() >= 4 && u(0) == 0xfd && head.compare(1, 3, "7zX") == 0))
    throw Error(ErrorKind::usage, "--shard: '" + path +
                                      "' is compressed, and a compressed stream cannot be split by byte ranges; shard "
                                      "by file instead (one task per file, docs/cluster.md)");
  {
    // The framing exactly as the reader decides it from the file's start.
    auto probe = memory_source(head);
    Reader r(*probe, ReaderOptions{});
    Chunk c;
    r.next(c);
    if (r.framing() != Framing::jsonl)
      throw Error(ErrorKind::usage, "--shard: '" + path + "' is a JSON " +
                                        (r.framing() == Framing::document ? "document" : "array") +
                                        ", whose records cannot be found from an arbitrary byte; --shard takes JSONL "
                                        "(convert with jq -c '.[]', or shard by file)");
  }
  // The first record start at or after byte `at`: right after a newline.
  std::vector<char> buf(size_t{1} << 20);
  auto start_at = [&](uint64_t at) -> uint64_t {
    if (at == 0 || at >= size) return std::min(at, size);
    uint64_t p = at - 1;
    while (p < size) {
      size_t n = pread_full(fd, buf.data(), buf.size(), p);
      if (n == 0) return size;
      const void* nl = std::memchr(buf.data(), '\n', n);
      if (nl) return p + static_cast<uint64_t>(static_cast<const char*>(nl) - buf.data()) + 1;
      p += n;
    }
    return size;
  };
  // size * index / count without overflow for files up to 2^64 / 2^16 bytes... exact with 128 bits.
  auto cut = [&](uint64_t k) {
    return static_cast<uint64_t>(static_cast<unsigned __int128>(size) * k / count);
  };
  const uint64_t begin = start_at(cut(index)), end = start_at(cut(index + 1));
  uint64_t lines = 1;
  for (uint64_t p = 0; p < begin;) {
    size_t n = pread_full(fd, buf.data(), static_cast<size_t>(std::min<uint64_t>(buf.size(), begin - p)), p);
    if (n == 0) break;
    // memchr (glibc's vectorised one) from newline to newline: records are
    // long, so this is ~3x faster than std::count over the bytes.
    for (const char *q = buf.data(), *e = buf.data() + n; (q = static_cast<const char*>(std::memchr(q, '\n', static_cast<size_t>(e - q))));) {
      ++lines;
      ++q;
    }
    p += n;
  }
#ifdef POSIX_FADV_SEQUENTIAL
  ::posix_fadvise(fd, static_cast<off_t>(begin), static_cast<off_t>(end - begin), POSIX_FADV_SEQUENTIAL);
#endif
  auto src = std::make_unique<ShardSource>(fd, begin, end, lines);
  fd = -1;  // owned by the source now
  return src;
}

std::unique_ptr<ByteSource> memory_source(std::string bytes) {
  return wrap(std::make_unique<MemRaw>(std::move(bytes)), "<memory>");
}

const char* compression_name(Compression c) {
  switch (c) {
    case Compression::none: return "none";
    case Compression::gzip: return "gzip";
    case Compression::zstd: return "zstd";
  }
  return "?";
}

}  // namespace rsq
