// output.h — writing results: to stdout (a closed pipe is a quiet success, as
// `rsq score ... | head` expects) or to -o FILE, atomically (a temporary file
// in the same directory, renamed into place only when complete).
#pragma once
#include <string>

namespace rsq::cli {

// Writes `data` to `path` ("" or "-" = stdout). Throws rsq::Error(io) on failure.
void write_output(const std::string& path, const std::string& data);

}  // namespace rsq::cli
