// Terminal policy (see terminal.h).
#include "terminal.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace rsq::cli {

bool no_color_env() {
  const char* nc = std::getenv("NO_COLOR");
  if (nc && *nc) return true;
  const char* term = std::getenv("TERM");
  return term && std::strcmp(term, "dumb") == 0;
}

Terminal::Terminal(When color, When progress, bool quiet) : quiet_(quiet) {
  bool tty = ::isatty(2) == 1;
  color_ = color == When::always || (color == When::auto_ && tty && !no_color_env());
  progress_ = !quiet && (progress == When::always || (progress == When::auto_ && tty));
}

void Terminal::clear_locked() {
  if (shown_) {
    std::fputs("\r", stderr);
    for (size_t i = 0; i < shown_; ++i) std::fputc(' ', stderr);
    std::fputs("\r", stderr);
    shown_ = 0;
  }
}

void Terminal::diagnostic(const std::string& line) {
  std::lock_guard<std::mutex> g(m_);
  clear_locked();
  if (color_) {
    // Colour the severity word only.
    std::string s = line;
    for (auto [word, code] : {std::pair{": error:", "31"}, std::pair{": warning:", "33"}, std::pair{": note:", "36"}}) {
      size_t p = s.find(word);
      if (p != std::string::npos) {
        s.replace(p + 2, std::strlen(word) - 2, std::string("\x1b[1;") + code + "m" + (word + 2) + "\x1b[0m");
        break;
      }
    }
    std::fprintf(stderr, "%s\n", s.c_str());
  } else {
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  std::fflush(stderr);
}

void Terminal::message(const std::string& line) {
  std::lock_guard<std::mutex> g(m_);
  clear_locked();
  std::fprintf(stderr, "%s\n", line.c_str());
  std::fflush(stderr);
}

void Terminal::progress(const std::string& text) {
  if (!progress_) return;
  std::lock_guard<std::mutex> g(m_);
  clear_locked();
  std::fputs(text.c_str(), stderr);
  std::fflush(stderr);
  shown_ = text.size();
}

void Terminal::clear_progress() {
  std::lock_guard<std::mutex> g(m_);
  clear_locked();
  std::fflush(stderr);
}

void stderr_line(const std::string& line) {
  std::fprintf(stderr, "%s\n", line.c_str());
  std::fflush(stderr);
}

bool stdout_is_tty() { return ::isatty(1) == 1; }
bool stdin_is_tty() { return ::isatty(0) == 1; }

}  // namespace rsq::cli
