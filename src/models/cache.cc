// The answer cache (models/cache.h).
#include "models/cache.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <cstdlib>

#include "rsq/error.h"

namespace rsq::models {

namespace {
void mkdirs(const std::string& dir) {
  for (size_t i = 1; i <= dir.size(); ++i)
    if (i == dir.size() || dir[i] == '/') ::mkdir(dir.substr(0, i).c_str(), 0755);
}
}  // namespace

std::string Cache::default_path() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  std::string base = xdg && *xdg ? xdg : std::string(home && *home ? home : "/tmp") + "/.cache";
  return base + "/rsq/answers.sqlite";
}

Cache::Cache(const std::string& path) : path_(path) {
  auto slash = path.rfind('/');
  if (slash != std::string::npos && slash > 0) mkdirs(path.substr(0, slash));
  auto fail = [&](const std::string& what) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    if (db_) sqlite3_close(db_);
    db_ = nullptr;
    throw Error(ErrorKind::io, "answer cache '" + path + "': " + what + ": " + msg + " (--cache PATH or --no-cache)");
  };
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr) !=
      SQLITE_OK)
    fail("cannot open");
  sqlite3_busy_timeout(db_, 30000);
  const char* setup =
      "PRAGMA journal_mode=WAL;"
      "PRAGMA synchronous=NORMAL;"
      "CREATE TABLE IF NOT EXISTS answers(key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;";
  if (sqlite3_exec(db_, setup, nullptr, nullptr, nullptr) != SQLITE_OK) fail("cannot set up");
  if (sqlite3_prepare_v2(db_, "SELECT value FROM answers WHERE key = ?", -1, &get_, nullptr) != SQLITE_OK) fail("prepare");
  if (sqlite3_prepare_v2(db_, "INSERT OR REPLACE INTO answers(key, value) VALUES(?, ?)", -1, &put_, nullptr) != SQLITE_OK)
    fail("prepare");
}

Cache::~Cache() {
  sqlite3_finalize(get_);
  sqlite3_finalize(put_);
  if (db_) sqlite3_close(db_);
}

std::optional<std::string> Cache::get(const std::string& key) {
  std::lock_guard<std::mutex> g(m_);
  sqlite3_reset(get_);
  sqlite3_bind_blob(get_, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
  std::optional<std::string> out;
  if (sqlite3_step(get_) == SQLITE_ROW) {
    const void* p = sqlite3_column_blob(get_, 0);
    int n = sqlite3_column_bytes(get_, 0);
    out.emplace(static_cast<const char*>(p), static_cast<size_t>(n));
  }
  sqlite3_reset(get_);
  ++(out ? hits_ : misses_);
  return out;
}

void Cache::put(const std::vector<std::pair<std::string, std::string>>& entries) {
  if (entries.empty()) return;
  std::lock_guard<std::mutex> g(m_);
  sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
  for (const auto& [k, v] : entries) {
    sqlite3_reset(put_);
    sqlite3_bind_blob(put_, 1, k.data(), static_cast<int>(k.size()), SQLITE_STATIC);
    sqlite3_bind_blob(put_, 2, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    if (sqlite3_step(put_) != SQLITE_DONE) {
      std::string msg = sqlite3_errmsg(db_);
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw Error(ErrorKind::io, "answer cache '" + path_ + "': cannot store an answer: " + msg);
    }
  }
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
    throw Error(ErrorKind::io, "answer cache '" + path_ + "': cannot commit: " + std::string(sqlite3_errmsg(db_)));
}

}  // namespace rsq::models
