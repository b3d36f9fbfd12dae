// Output files and stdout (see output.h).
#include "output.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>
#include <sys/stat.h>

#include "rsq/error.h"

namespace rsq::cli {

static bool write_all(int fd, const char* p, size_t n) {
  while (n) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

void write_output(const std::string& path, const std::string& data) {
  if (path.empty() || path == "-") {
    if (!write_all(1, data.data(), data.size())) {
      if (errno == EPIPE) return;  // the reader went away: not an error
      throw Error(ErrorKind::io, std::string("cannot write to standard output: ") + std::strerror(errno));
    }
    return;
  }
  std::string dir = ".";
  size_t slash = path.rfind('/');
  if (slash != std::string::npos) dir = slash == 0 ? "/" : path.substr(0, slash);
  std::string tmpl = path + ".rsq-tmp-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  int fd = ::mkstemp(buf.data());
  if (fd < 0) throw Error(ErrorKind::io, "cannot create '" + path + "': " + std::strerror(errno));
  std::string tmp(buf.data());
  bool ok = write_all(fd, data.data(), data.size()) && ::fsync(fd) == 0;
  int e = errno;
  ::fchmod(fd, 0644);
  if (::close(fd) != 0 && ok) {
    ok = false;
    e = errno;
  }
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    if (ok) e = errno;
    ::unlink(tmp.c_str());
    throw Error(ErrorKind::io, "cannot write '" + path + "': " + std::strerror(e));
  }
}

}  // namespace rsq::cli
