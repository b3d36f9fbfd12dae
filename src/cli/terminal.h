// terminal.h — everything rsq writes to stderr: diagnostics (whole lines,
// under one lock, optionally coloured) and the progress line. Colour only on a
// terminal and never with NO_COLOR or TERM=dumb; progress only on a terminal
// unless forced (--progress=always, for tests) and never with -q.
#pragma once
#include <mutex>
#include <string>

namespace rsq::cli {

enum class When { auto_, always, never };

class Terminal {
 public:
  Terminal(When color, When progress, bool quiet);
  // Writes one diagnostic line ("file:1:2: error: ...") to stderr.
  void diagnostic(const std::string& line);
  void message(const std::string& line);  // plain line on stderr
  void progress(const std::string& text);
  void clear_progress();
  bool progress_enabled() const { return progress_; }
  bool color() const { return color_; }
  bool quiet() const { return quiet_; }

 private:
  void clear_locked();
  std::mutex m_;
  bool color_ = false, progress_ = false, quiet_ = false;
  size_t shown_ = 0;  // width of the progress line currently on screen
};

// One line on stderr outside any Terminal (main's last-resort messages).
void stderr_line(const std::string& line);

bool stdout_is_tty();
// NO_COLOR set (non-empty) or TERM=dumb.
bool no_color_env();
bool stdin_is_tty();

}  // namespace rsq::cli
