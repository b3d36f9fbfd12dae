// Output streams (see output.h): the decision between replacing a file and
// writing through to whatever the path names, made once when the stream opens.
#include "output.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <vector>

#include <zlib.h>
#include <zstd.h>

#include "rsq/error.h"

namespace rsq::cli {
namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path, int e) {
  throw Error(ErrorKind::io, what + " '" + path + "': " + std::strerror(e));
}

std::string dir_of(const std::string& p) {
  size_t s = p.rfind('/');
  if (s == std::string::npos) return ".";
  return s == 0 ? "/" : p.substr(0, s);
}

// A path naming one of this process's descriptors (/dev/stdout is a link to
// /proc/self/fd/1): the output goes to that descriptor, whatever it is, so
// `-o /dev/stdout` behaves like stdout and never replaces a file behind it.
int own_descriptor(const std::string& p) {
  std::string rest;
  const std::string pid = "/proc/" + std::to_string(::getpid()) + "/fd/";
  for (const std::string& prefix : {std::string("/proc/self/fd/"), std::string("/dev/fd/"), pid})
    if (p.compare(0, prefix.size(), prefix) == 0) rest = p.substr(prefix.size());
  if (rest.empty() || rest.size() > 9 || rest.find_first_not_of("0123456789") != std::string::npos) return -1;
  return std::stoi(rest);
}

struct Resolved {
  std::string path;  // the file finally written (it may not exist yet)
  int fd = -1;       // or one of our descriptors
};

// Follows a chain of symlinks to the path that is finally written (a dangling
// link creates its target, as `>` does). ELOOP past 40 hops, like the kernel.
Resolved resolve_links(const std::string& path) {
  std::string p = path;
  for (int hop = 0; hop < 40; ++hop) {
    if (int fd = own_descriptor(p); fd >= 0) return {p, fd};
    struct stat st;
    if (::lstat(p.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return {p, -1};
    std::vector<char> buf(PATH_MAX + 1);
    ssize_t n = ::readlink(p.c_str(), buf.data(), PATH_MAX);
    if (n < 0) fail("cannot resolve", path, errno);
    std::string link(buf.data(), static_cast<size_t>(n));
    p = link[0] == '/' ? link : dir_of(p) + "/" + link;
  }
  fail("cannot resolve", path, ELOOP);
}

int open_socket(const std::string& path) {
  sockaddr_un addr{};
  if (path.size() >= sizeof(addr.sun_path)) fail("cannot open", path, ENAMETOOLONG);
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  for (int type : {SOCK_STREAM, SOCK_SEQPACKET}) {
    int fd = ::socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
    if (fd < 0) fail("cannot open", path, errno);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return fd;
    int e = errno;
    ::close(fd);
    if (e != EPROTOTYPE) fail("cannot open", path, e);
  }
  fail("cannot open", path, EPROTOTYPE);
}

mode_t current_umask() {
  mode_t m = ::umask(022);  // single-threaded here: streams open before workers start
  ::umask(m);
  return m;
}

}  // namespace

// Streams the output through zstd or gzip; run(..., true) ends the frame.
struct OutputStream::Codec {
  ZSTD_CStream* zs = nullptr;
  z_stream gz{};
  bool is_gzip = false;
  std::string out;
  explicit Codec(bool gzip) : is_gzip(gzip) {
    if (gzip) {
      if (deflateInit2(&gz, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw Error(ErrorKind::internal, "gzip output: deflateInit2 failed");
    } else {
      zs = ZSTD_createCStream();
      if (!zs) throw Error(ErrorKind::internal, "zstd output: out of memory");
      ZSTD_CCtx_setParameter(zs, ZSTD_c_compressionLevel, 3);
      ZSTD_CCtx_setParameter(zs, ZSTD_c_checksumFlag, 1);
    }
  }
  ~Codec() {
    if (is_gzip)
      deflateEnd(&gz);
    else
      ZSTD_freeCStream(zs);
  }
  // Compresses data (end: finishes the stream) into `out`.
  void run(const char* p, size_t n, bool end) {
    out.clear();
    char buf[1 << 16];
    if (is_gzip) {
      gz.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(p));
      gz.avail_in = static_cast<uInt>(n);
      int rc;
      do {
        gz.next_out = reinterpret_cast<Bytef*>(buf);
        gz.avail_out = sizeof buf;
        rc = deflate(&gz, end ? Z_FINISH : Z_NO_FLUSH);
        out.append(buf, sizeof buf - gz.avail_out);
      } while (gz.avail_out == 0 || (end && rc != Z_STREAM_END));
      return;
    }
    ZSTD_inBuffer in{p, n, 0};
    for (;;) {
      ZSTD_outBuffer o{buf, sizeof buf, 0};
      size_t left = ZSTD_compressStream2(zs, &o, &in, end ? ZSTD_e_end : ZSTD_e_continue);
      if (ZSTD_isError(left)) throw Error(ErrorKind::internal, std::string("zstd output: ") + ZSTD_getErrorName(left));
      out.append(buf, o.pos);
      if (end ? left == 0 : in.pos == in.size) break;
    }
  }
};

OutputStream::OutputStream(const std::string& path) : path_(path) {
  if (path.empty() || path == "-") return;
  auto ends = [&](const char* ext) {
    size_t n = std::strlen(ext);
    return path.size() > n && path.compare(path.size() - n, n, ext) == 0;
  };
  for (const char* ext : {".bz2", ".xz", ".lz4", ".lzma"})
    if (ends(ext))
      throw Error(ErrorKind::usage, "cannot write '" + path + "': rsq compresses output as zstd (.zst) or gzip (.gz) only");
  if (ends(".zst") || ends(".gz")) codec_ = std::make_unique<Codec>(ends(".gz"));
  Resolved r = resolve_links(path);
  target_ = r.path;
  if (r.fd >= 0) {
    fd_ = ::fcntl(r.fd, F_DUPFD_CLOEXEC, 3);
    if (fd_ < 0) fail("cannot write", path, errno == EBADF ? EBADF : errno);
    owns_fd_ = true;
    return;
  }
  struct stat st;
  bool exists = ::stat(target_.c_str(), &st) == 0;
  if (!exists && errno != ENOENT) fail("cannot write", path, errno);
  if (exists && S_ISDIR(st.st_mode)) fail("cannot write", path, EISDIR);
  if (exists && !S_ISREG(st.st_mode)) {
    // A device, FIFO or socket: rsq does not own it, so it writes to it.
    if (S_ISSOCK(st.st_mode)) {
      fd_ = open_socket(target_);
    } else {
      fd_ = ::open(target_.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
      if (fd_ < 0) fail("cannot open", path, errno);
    }
    owns_fd_ = true;
    return;
  }
  std::string t = target_ + ".rsq-tmp-XXXXXX";
  std::vector<char> buf(t.begin(), t.end());
  buf.push_back('\0');
  fd_ = ::mkostemp(buf.data(), O_CLOEXEC);
  if (fd_ < 0) fail("cannot create", path, errno);
  owns_fd_ = true;
  tmp_ = buf.data();
  if (exists) {
    // The replacement keeps what the user set on the file it replaces. A
    // chown that is not permitted (not root, another owner) leaves ours.
    if (::fchown(fd_, st.st_uid, st.st_gid) != 0) { /* not permitted: keep ours */ }
    ::fchmod(fd_, st.st_mode & 07777);
  } else {
    ::fchmod(fd_, 0666 & ~current_umask());
  }
}

OutputStream::~OutputStream() {
  if (owns_fd_ && !committed_) ::close(fd_);
  if (!tmp_.empty() && !committed_) ::unlink(tmp_.c_str());
}

void OutputStream::write(const std::string& data) {
  if (closed_) throw PipeClosed{};
  if (codec_) {
    codec_->run(data.data(), data.size(), false);
    raw_write(codec_->out.data(), codec_->out.size());
    return;
  }
  raw_write(data.data(), data.size());
}

void OutputStream::raw_write(const char* p, size_t n) {
  while (n) {
    ssize_t w = ::write(fd_, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno == EPIPE && tmp_.empty()) {
        closed_ = true;
        throw PipeClosed{};
      }
      fail("cannot write", tmp_.empty() && !owns_fd_ ? std::string("<stdout>") : path_, errno);
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
}

void OutputStream::commit() {
  if (codec_ && !committed_) {
    codec_->run(nullptr, 0, true);
    raw_write(codec_->out.data(), codec_->out.size());
    codec_.reset();
  }
  if (committed_ || !owns_fd_) return;
  committed_ = true;
  if (tmp_.empty()) {
    if (::close(fd_) != 0 && errno != EINTR) fail("cannot write", path_, errno);
    return;
  }
  if (::fsync(fd_) != 0 || ::close(fd_) != 0 || ::rename(tmp_.c_str(), target_.c_str()) != 0) {
    int e = errno;
    ::unlink(tmp_.c_str());
    fail("cannot write", path_, e);
  }
}

void write_output(const std::string& path, const std::string& data) {
  OutputStream out(path);
  try {
    out.write(data);
  } catch (const PipeClosed&) {
    return;  // the reader went away: not an error
  }
  out.commit();
}

}  // namespace rsq::cli
