// zstd and zlib behind one call (text/compressor.h). zlib goes through
// compress2, which is what Python's zlib.compress calls: the paper's figure
// is reproduced bit for bit (tests/cli/check_zlib.py).
#include "text/compressor.h"

#include <zlib.h>
#include <zstd.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace rsq::text {

struct Compressor::Impl {
  Codec codec;
  int level;
  ZSTD_CCtx* cctx = nullptr;
  std::vector<unsigned char> out;
};

Compressor::Compressor(Codec c, int level) : impl_(std::make_unique<Impl>()) {
  impl_->codec = c;
  impl_->level = level;
  if (c == Codec::zstd) {
    impl_->cctx = ZSTD_createCCtx();
    if (!impl_->cctx) throw std::runtime_error("cannot create zstd context");
  }
}
Compressor::~Compressor() {
  if (impl_->cctx) ZSTD_freeCCtx(impl_->cctx);
}
size_t Compressor::compressed_size(std::string_view s) {
  auto& o = impl_->out;
  if (impl_->codec == Codec::zstd) {
    size_t bound = ZSTD_compressBound(s.size());
    if (o.size() < bound) o.resize(bound);
    size_t r = ZSTD_compressCCtx(impl_->cctx, o.data(), o.size(), s.data(), s.size(), impl_->level);
    if (ZSTD_isError(r)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(r));
    return r;
  }
  uLongf bound = compressBound(static_cast<uLong>(s.size()));
  if (o.size() < bound) o.resize(bound);
  uLongf len = bound;
  int r = compress2(o.data(), &len, reinterpret_cast<const Bytef*>(s.data()), static_cast<uLong>(s.size()), impl_->level);
  if (r != Z_OK) throw std::runtime_error("zlib compress2 failed");
  return len;
}

}  // namespace rsq::text
