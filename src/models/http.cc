// The model endpoints' HTTP client (models/http.h).
#include "models/http.h"

// libcurl is loaded with dlopen on first use, not linked: its dependency
// tree (OpenSSL, nghttp2, GSSAPI, LDAP, ssh, ...) costs every rsq start
// ~15 ms in the dynamic loader, and only runs with a model endpoint need it
// (docs/performance.md, "Start-up").
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include <dlfcn.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>
#include <random>
#include <type_traits>

#include "rsq/error.h"

namespace rsq::models {

namespace {

size_t on_body(char* p, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(p, size * n);
  return size * n;
}

size_t on_header(char* p, size_t size, size_t n, void* user) {
  std::string h(p, size * n);
  static const char kName[] = "retry-after:";
  if (h.size() > sizeof kName - 1) {
    bool match = true;
    for (size_t i = 0; i + 1 < sizeof kName && match; ++i) match = std::tolower(static_cast<unsigned char>(h[i])) == kName[i];
    if (match) {
      std::string v = h.substr(sizeof kName - 1);
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.erase(v.begin());
      while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' ')) v.pop_back();
      *static_cast<std::string*>(user) = v;
    }
  }
  return size * n;
}

struct CurlApi {
  CURLcode (*global_init)(long);
  CURL* (*easy_init)();
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...);
  CURLcode (*easy_perform)(CURL*);
  void (*easy_cleanup)(CURL*);
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...);
  const char* (*easy_strerror)(CURLcode);
  curl_slist* (*slist_append)(curl_slist*, const char*);
  void (*slist_free_all)(curl_slist*);
};

// The loaded library, or throws rsq::Error(io) saying what to install.
const CurlApi& curl() {
  static const CurlApi api = [] {
    void* h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!h)
      throw Error(ErrorKind::io, std::string("model endpoints need libcurl (Debian: apt install libcurl4): ") + dlerror());
    CurlApi a{};
    auto sym = [&](auto& f, const char* name) {
      f = reinterpret_cast<std::remove_reference_t<decltype(f)>>(dlsym(h, name));
      if (!f) throw Error(ErrorKind::io, std::string("libcurl.so.4 lacks ") + name);
    };
    sym(a.global_init, "curl_global_init");
    sym(a.easy_init, "curl_easy_init");
    sym(a.easy_setopt, "curl_easy_setopt");
    sym(a.easy_perform, "curl_easy_perform");
    sym(a.easy_cleanup, "curl_easy_cleanup");
    sym(a.easy_getinfo, "curl_easy_getinfo");
    sym(a.easy_strerror, "curl_easy_strerror");
    sym(a.slist_append, "curl_slist_append");
    sym(a.slist_free_all, "curl_slist_free_all");
    a.global_init(CURL_GLOBAL_DEFAULT);
    return a;
  }();
  return api;
}

double now_epoch() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

double HttpClient::retry_after_seconds(const std::string& v, double now) {
  if (v.empty()) return -1;
  char* end = nullptr;
  double s = std::strtod(v.c_str(), &end);
  if (end && *end == '\0' && std::isfinite(s) && s >= 0) return s;
  std::tm tm{};
  // IMF-fixdate, the form RFC 9110 requires senders to use.
  if (strptime(v.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm)) {
    double at = static_cast<double>(timegm(&tm));
    return std::max(0.0, at - now);
  }
  return -1;
}

bool HttpClient::retryable(const HttpResponse& r) {
  if (r.status == 0) return true;  // connect error, reset, timeout
  if (r.status == 408 || r.status == 429 || r.status == 502 || r.status == 503 || r.status == 504) return true;
  if (r.status == 500) {
    // Some servers answer a request they cannot take with 500 and a
    // validation message: retrying cannot help those.
    static const char* const kNotTransient[] = {"too large", "exceeds", "maximum context", "validation", "invalid"};
    for (const char* k : kNotTransient)
      if (r.body.find(k) != std::string::npos) return false;
    return true;
  }
  return false;
}

HttpClient::HttpClient(const HttpOptions& opt) : opt_(opt) {
  curl();  // loads libcurl, or throws before any thread starts
  const unsigned n = std::max(1u, opt_.concurrency);
  for (unsigned i = 0; i < n; ++i) threads_.emplace_back([this] { worker(); });
}

HttpClient::~HttpClient() {
  {
    std::lock_guard<std::mutex> g(m_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

std::future<HttpResponse> HttpClient::post(std::string url, std::string body) {
  Job j;
  j.url = std::move(url);
  j.body = std::move(body);
  return enqueue(std::move(j));
}

std::future<HttpResponse> HttpClient::get(std::string url, int retries) {
  Job j;
  j.url = std::move(url);
  j.get = true;
  j.retries = retries;
  return enqueue(std::move(j));
}

std::future<HttpResponse> HttpClient::enqueue(Job j) {
  auto f = j.done.get_future();
  {
    std::lock_guard<std::mutex> g(m_);
    q_.push_back(std::move(j));
  }
  cv_.notify_one();
  return f;
}

HttpResponse HttpClient::perform(void* handle, const Job& j, std::string& retry_after) {
  const CurlApi& api = curl();
  CURL* c = static_cast<CURL*>(handle);
  HttpResponse r;
  api.easy_setopt(c, CURLOPT_URL, j.url.c_str());
  api.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  api.easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
  api.easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  api.easy_setopt(c, CURLOPT_HEADERDATA, &retry_after);
  api.easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(opt_.timeout_s * 1000));
  api.easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
  api.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_slist* headers = nullptr;
  headers = api.slist_append(headers, "Content-Type: application/json");
  headers = api.slist_append(headers, "Expect:");
  std::string auth;
  if (!opt_.api_key.empty()) {
    auth = "Authorization: Bearer " + opt_.api_key;
    headers = api.slist_append(headers, auth.c_str());
  }
  api.easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  if (j.get) {
    api.easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else {
    api.easy_setopt(c, CURLOPT_POST, 1L);
    api.easy_setopt(c, CURLOPT_POSTFIELDS, j.body.data());
    api.easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(j.body.size()));
  }
  char err[CURL_ERROR_SIZE] = {0};
  api.easy_setopt(c, CURLOPT_ERRORBUFFER, err);
  CURLcode rc = api.easy_perform(c);
  api.slist_free_all(headers);
  if (rc != CURLE_OK) {
    r.status = 0;
    r.error = err[0] ? err : api.easy_strerror(rc);
    return r;
  }
  api.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  return r;
}

void HttpClient::worker() {
  const CurlApi& api = curl();
  CURL* c = api.easy_init();
  std::mt19937_64 rng(std::random_device{}());
  for (;;) {
    Job j;
    {
      std::unique_lock<std::mutex> g(m_);
      cv_.wait(g, [&] { return stop_ || !q_.empty(); });
      if (q_.empty()) break;
      j = std::move(q_.front());
      q_.pop_front();
    }
    ++stats_.in_flight;
    HttpResponse r;
    double waited = 0;
    for (int attempt = 0;; ++attempt) {
      std::string retry_after;
      ++stats_.requests;
      stats_.bytes_sent += j.body.size();
      r = perform(c, j, retry_after);
      r.attempts = attempt + 1;
      if (!retryable(r) || attempt >= (j.retries >= 0 ? j.retries : opt_.retries)) break;
      ++stats_.retries;
      double wait = retry_after_seconds(retry_after, now_epoch());
      if (wait < 0) {
        std::uniform_real_distribution<double> jitter(0.5, 1.5);
        wait = opt_.backoff_base_s * std::pow(2.0, attempt) * jitter(rng);
      }
      wait = std::min(wait, opt_.backoff_max_s);
      waited += wait;
      std::this_thread::sleep_for(std::chrono::duration<double>(wait));
      if (r.status == 0) {  // a reset connection: start a fresh one
        api.easy_cleanup(c);
        c = api.easy_init();
      }
    }
    r.waited_s = waited;
    --stats_.in_flight;
    j.done.set_value(std::move(r));
  }
  api.easy_cleanup(c);
}

}  // namespace rsq::models
