// models/http.h — the HTTP client of the model endpoints: a fixed pool of
// connections (one libcurl easy handle per thread, kept alive between
// requests) that sends JSON requests concurrently and retries what a model
// server means as "try again": connection failures, timeouts, 408, 429 and
// 5xx other than a validation error, with jittered exponential backoff that
// honours Retry-After (seconds or an HTTP date). Everything else comes back
// to the caller as the final response, for it to split a batch (413, "too
// large") or stop the run with the server's message.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rsq::models {

struct HttpOptions {
  unsigned concurrency = 8;     // requests in flight
  double timeout_s = 300;       // per attempt
  int retries = 6;              // further attempts after the first
  double backoff_base_s = 0.5;  // first wait; doubles per attempt, jittered x0.5-1.5
  double backoff_max_s = 60;    // cap on any one wait, Retry-After included
  std::string api_key;          // sent as a Bearer token; never printed
};

struct HttpResponse {
  long status = 0;         // 0 = no HTTP answer (see error)
  std::string body;
  std::string error;       // transport error text (curl's), when status == 0
  int attempts = 0;
  double waited_s = 0;     // time spent in backoff
};

struct HttpStats {
  std::atomic<uint64_t> requests{0}, retries{0}, bytes_sent{0}, in_flight{0};
};

class HttpClient {
 public:
  explicit HttpClient(const HttpOptions& opt);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // POST a JSON body (or GET when body is empty and get is true).
  std::future<HttpResponse> post(std::string url, std::string body);
  // retries < 0: HttpOptions::retries.
  std::future<HttpResponse> get(std::string url, int retries = -1);
  const HttpStats& stats() const { return stats_; }

  // The wait a Retry-After header asks for, in seconds (-1 if absent or
  // unreadable): delta-seconds or an HTTP date. Public for tests.
  static double retry_after_seconds(const std::string& value, double now_epoch_s);
  // Whether a response is worth another attempt.
  static bool retryable(const HttpResponse& r);

 private:
  struct Job {
    std::string url, body;
    bool get = false;
    int retries = -1;
    std::promise<HttpResponse> done;
  };
  std::future<HttpResponse> enqueue(Job j);
  void worker();
  HttpResponse perform(void* curl, const Job& j, std::string& retry_after);

  HttpOptions opt_;
  HttpStats stats_;
  std::mutex m_;
  std::condition_variable cv_;
  std::deque<Job> q_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace rsq::models
