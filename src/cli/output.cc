// Whole-report output (see output.h): one OutputStream write and commit, so
// the atomic-file and closed-pipe rules live in one place (common.cc).
#include "output.h"

#include "common.h"

namespace rsq::cli {

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
