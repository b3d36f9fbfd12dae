// models/cache.h — the answer cache: an embedded SQLite database (WAL
// journal) mapping a key — the SHA-256 of everything that determines a
// model's answer: endpoint kind, the model id the server reports, the
// request parameters, the prompt version and the exact text sent, never the
// URL — to the answer as rsq read it. Each answer is committed as it
// arrives, so a run killed with kill -9 keeps what it had, and the rerun
// asks only for the rest. Several processes may share one file (shards on
// one machine): SQLite serialises their writes.
#pragma once
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace rsq::models {

class Cache {
 public:
  // Opens (creating) the database; throws rsq::Error(io) naming the path.
  explicit Cache(const std::string& path);
  ~Cache();
  Cache(const Cache&) = delete;
  Cache& operator=(const Cache&) = delete;

  std::optional<std::string> get(const std::string& key);
  // Stores several answers in one transaction.
  void put(const std::vector<std::pair<std::string, std::string>>& entries);
  uint64_t hits() const { return hits_; }
  uint64_t misses() const { return misses_; }

  // ~/.cache/rsq/answers.sqlite (XDG_CACHE_HOME honoured).
  static std::string default_path();

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt *get_ = nullptr, *put_ = nullptr;
  std::mutex m_;
  std::string path_;
  uint64_t hits_ = 0, misses_ = 0;
};

}  // namespace rsq::models
