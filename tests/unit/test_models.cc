// The model-backed metrics' pure parts (text sent, pooling, labels, the
// judge's sample) and rsq_models' offline parts (SHA-256 against FIPS 180-4
// vectors, Retry-After, what is retried, the SQLite cache). What needs a
// server is tested against the real engine (tests/engine/check_engine.py).
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <unistd.h>
#include <string>

#include "metrics/model.h"
#include "models/cache.h"
#include "models/http.h"
#include "sha256.h"
#include "models/stage.h"

using namespace rsq;
namespace mm = rsq::metrics::model;

TEST_CASE("sha256 matches the FIPS 180-4 examples", "[models]") {
  CHECK(rsq::hex(rsq::sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(rsq::hex(rsq::sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(rsq::hex(rsq::sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(rsq::hex(rsq::sha256(std::string(1000000, 'a'))) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("Retry-After in seconds and as an HTTP date; what is retried", "[models]") {
  CHECK(models::HttpClient::retry_after_seconds("2", 0) == 2);
  CHECK(models::HttpClient::retry_after_seconds("", 0) == -1);
  CHECK(models::HttpClient::retry_after_seconds("soon", 0) == -1);
  // Sun, 06 Nov 1994 08:49:37 GMT = 784111777 (RFC 9110's example).
  CHECK(models::HttpClient::retry_after_seconds("Sun, 06 Nov 1994 08:49:37 GMT", 784111770) == Approx(7));
  auto resp = [](long s, std::string b = "") {
    models::HttpResponse r;
    r.status = s;
    r.body = std::move(b);
    return r;
  };
  CHECK(models::HttpClient::retryable(resp(0)));
  CHECK(models::HttpClient::retryable(resp(429)));
  CHECK(models::HttpClient::retryable(resp(503)));
  CHECK(models::HttpClient::retryable(resp(500, "{\"error\":\"boom\"}")));
  CHECK(!models::HttpClient::retryable(resp(500, "input is too large to process")));
  CHECK(!models::HttpClient::retryable(resp(400)));
  CHECK(!models::HttpClient::retryable(resp(413)));
}

TEST_CASE("embedding pieces split at sentence ends within the budget, never lose text", "[models]") {
  std::string t = "One two three. Four five six. Seven eight nine ten eleven.";
  auto whole = mm::pieces(t, 0);
  REQUIRE(whole.size() == 1);
  CHECK(whole[0].text == t);
  auto p = mm::pieces(t, 30);
  std::string joined;
  double w = 0;
  for (auto& x : p) {
    CHECK(x.weight <= 30);
    joined += std::string(x.text);
    w += x.weight;
  }
  CHECK(joined == t);
  CHECK(w == Approx(static_cast<double>(t.size())));
  CHECK(p[0].text == "One two three. Four five six.");
  // A sentence longer than the budget is cut at code points (ą is 2 bytes).
  std::string pl = "ąąąąąąąąąą";
  auto q = mm::pieces(pl, 4);
  REQUIRE(q.size() == 3);
  CHECK(q[0].text == "ąąąą");
  CHECK(q[2].weight == 2);
}

TEST_CASE("cosine, labels, line steps and the judge's sample", "[models]") {
  CHECK(mm::cosine({1, 0}, {1, 0}) == Approx(1));
  CHECK(mm::cosine({1, 0}, {0, 2}) == Approx(0));
  CHECK(std::isnan(mm::cosine({0, 0}, {1, 0})));
  CHECK(std::isnan(mm::cosine({1}, {1, 0})));
  ChatAnswer a;
  a.text = "{\"label\": \"POSITIVE\"}";
  CHECK(mm::read_label(a) == 1);
  a.text = "{ \"label\": \"NEGATIVE\" }";
  CHECK(mm::read_label(a) == 0);
  a.text = "{ \"label\": \"NEGATIVE\"";  // cut off by max_tokens
  CHECK(mm::read_label(a) == -1);
  a.text = "POSITIVE";
  CHECK(mm::read_label(a) == -1);
  mm::Record r{"q", "step one\n\n  step two  \n", "a", false};
  auto s = mm::line_steps(r);
  REQUIRE(s.steps.size() == 2);
  CHECK(s.steps[1] == "step two");
  ChatAnswer steps;
  steps.text = "{\"steps\": [\"step one\", \"made up\", {\"content\": \"step two\"}]}";
  auto v = mm::read_steps(steps, r);
  CHECK(v.steps == std::vector<std::string>{"step one", "step two"});
  // The sample depends on content only, and its rate is about right.
  int in = 0;
  for (int i = 0; i < 2000; ++i) {
    mm::Record x{"q" + std::to_string(i), "r", "a", false};
    bool s1 = models::Stage::sampled(x, 0.1);
    CHECK(s1 == models::Stage::sampled(x, 0.1));
    in += s1;
  }
  CHECK(in > 140);
  CHECK(in < 260);
  CHECK(mm::prompt_set("en") == "fvcu-en@1");
  CHECK(mm::prompt_set("pl") == "fvcu-pl@1");
  CHECK_THROWS(mm::prompt_set("de"));
}

TEST_CASE("the answer cache keeps what was stored across reopenings", "[models]") {
  char path[] = "/tmp/rsq-cache-test-XXXXXX";
  int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  ::close(fd);
  {
    models::Cache c(path);
    CHECK(!c.get("k1"));
    c.put({{"k1", std::string("v\0v", 3)}, {"k2", "w"}});
    CHECK(*c.get("k1") == std::string("v\0v", 3));
  }
  models::Cache c(path);
  CHECK(*c.get("k2") == "w");
  CHECK(c.hits() == 1);
  std::remove(path);
  std::remove((std::string(path) + "-wal").c_str());
  std::remove((std::string(path) + "-shm").c_str());
}
