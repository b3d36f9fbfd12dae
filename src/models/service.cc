// The OpenAI-compatible model service (rsq/model_client.h): what each
// endpoint is asked, how answers are read and checked, batching and
// splitting, and the cache in front of it all. Failures per input are
// values (EmbedAnswer::failure ...); a request the server refuses for a
// reason other than size stops the run with the server's own message.
#include <chrono>
#include <cmath>
#include <cstring>
#include <deque>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>

#include "models/cache.h"
#include "models/http.h"
#include "core/sha256.h"
#include "rsq/error.h"
#include "rsq/model_client.h"

namespace rsq {
namespace {

using nlohmann::json;
using models::Cache;
using models::HttpClient;
using models::HttpResponse;

std::string server_message(const HttpResponse& r) {
  if (r.status == 0) return r.error;
  json j = json::parse(r.body, nullptr, false);
  std::string m;
  if (!j.is_discarded() && j.is_object()) {
    if (j.contains("error") && j["error"].is_object() && j["error"].contains("message") && j["error"]["message"].is_string())
      m = j["error"]["message"].get<std::string>();
    else if (j.contains("error") && j["error"].is_string())
      m = j["error"].get<std::string>();
    else if (j.contains("detail") && j["detail"].is_string())
      m = j["detail"].get<std::string>();
    else if (j.contains("message") && j["message"].is_string())
      m = j["message"].get<std::string>();
  }
  if (m.empty()) m = r.body.substr(0, 300);
  return "HTTP " + std::to_string(r.status) + ": " + m;
}

// The server said the input or the batch is too big: split, do not retry.
bool too_large(const HttpResponse& r) {
  if (r.status == 413) return true;
  if (r.status < 400 || r.status >= 600) return false;
  static const char* const kSigns[] = {"too large", "too long", "exceeds", "maximum context", "context length",
                                       "batch size", "maximum allowed", "must have less than"};
  for (const char* s : kSigns)
    if (r.body.find(s) != std::string::npos) return true;
  return false;
}

std::string pack_doubles(const std::vector<double>& v) {
  std::string s(v.size() * sizeof(double), '\0');
  if (!v.empty()) std::memcpy(s.data(), v.data(), s.size());
  return s;
}
std::vector<double> unpack_doubles(const std::string& s) {
  std::vector<double> v(s.size() / sizeof(double));
  if (!v.empty()) std::memcpy(v.data(), s.data(), v.size() * sizeof(double));
  return v;
}

std::string key_of(std::initializer_list<std::string_view> parts) {
  std::string k;
  for (auto p : parts) {
    k += std::to_string(p.size());
    k += ':';
    k += p;
  }
  return rsq::sha256(k);
}

class Service final : public ModelService {
 public:
  explicit Service(const ModelClientConfig& c)
      : cfg_(c), http_(models::HttpOptions{c.concurrency, c.timeout_s, c.retries, c.backoff_base_s, c.backoff_max_s, c.api_key}) {
    if (cfg_.cache) cache_ = std::make_unique<Cache>(cfg_.cache_path.empty() ? Cache::default_path() : cfg_.cache_path);
    if (!cfg_.embed.url.empty()) {
      settings_.embed_model = identify("embed", cfg_.embed);
      settings_.embed_prefix = cfg_.embed_prefix;
      settings_.embed_max_chars = cfg_.embed_max_chars;
      setup_ = true;
      auto probe = embed({"rsq endpoint check"});
      setup_ = false;
      if (!probe[0].failure.empty())
        throw Error(ErrorKind::io, "--embed " + cfg_.embed.url + ": the endpoint check failed: " + last_message_);
      dim_ = probe[0].vector.size();
    }
    if (!cfg_.lm.url.empty()) {
      settings_.lm_model = identify("lm", cfg_.lm);
      setup_ = true;
      auto probe = logprobs({"The cat sat on the mat."});
      setup_ = false;
      if (!probe[0].failure.empty())
        throw Error(ErrorKind::io, "--lm " + cfg_.lm.url + ": the endpoint check failed: " + last_message_);
    }
    if (!cfg_.judge.url.empty()) {
      settings_.judge_model = identify("judge", cfg_.judge);
      settings_.judge_sample = cfg_.judge_sample;
      settings_.judge_prompts = cfg_.judge_prompts;
    }
  }

  bool embeds() const override { return !cfg_.embed.url.empty(); }
  bool scores_text() const override { return !cfg_.lm.url.empty(); }
  bool judges() const override { return !cfg_.judge.url.empty(); }
  const ModelSettings& settings() const override { return settings_; }
  void set_prompts(const std::string& p) { settings_.judge_prompts = p; }
  ModelClientStats stats() const {
    ModelClientStats s;
    s.requests = http_.stats().requests;
    s.retries = http_.stats().retries;
    s.bytes_sent = http_.stats().bytes_sent;
    s.in_flight = http_.stats().in_flight;
    if (cache_) {
      s.cache_hits = cache_->hits();
      s.cache_misses = cache_->misses();
    }
    return s;
  }

  std::vector<EmbedAnswer> embed(const std::vector<std::string>& texts) override {
    std::vector<EmbedAnswer> out(texts.size());
    run_batched<EmbedAnswer>(
        texts, out, cfg_.batch, [&](std::string_view t) { return key_of({"embed/1", settings_.embed_model, t}); },
        [](const std::string& v, EmbedAnswer& a) { a.vector = unpack_doubles(v); },
        [](const EmbedAnswer& a) { return pack_doubles(a.vector); },
        [&](const std::vector<const std::string*>& batch) {
          return post_batch(cfg_.embed.url + "/embeddings", {{"model", settings_.embed_model}, {"encoding_format", "float"}},
                            "input", batch);
        },
        [&](const std::string& body, size_t n, std::vector<EmbedAnswer>& got) { return read_embeddings(body, n, got); },
        "--embed " + cfg_.embed.url);
    return out;
  }

  std::vector<LogprobAnswer> logprobs(const std::vector<std::string>& texts) override {
    std::vector<LogprobAnswer> out(texts.size());
    run_batched<LogprobAnswer>(
        texts, out, cfg_.batch, [&](std::string_view t) { return key_of({"lm-echo/1", settings_.lm_model, t}); },
        [](const std::string& v, LogprobAnswer& a) { a.logprobs = unpack_doubles(v); },
        [](const LogprobAnswer& a) { return pack_doubles(a.logprobs); },
        [&](const std::vector<const std::string*>& batch) {
          return post_batch(cfg_.lm.url + "/completions",
                            {{"model", settings_.lm_model}, {"max_tokens", 0}, {"echo", true}, {"logprobs", 0}, {"temperature", 0}},
                            "prompt", batch);
        },
        [&](const std::string& body, size_t n, std::vector<LogprobAnswer>& got) { return read_logprobs(body, n, got); },
        "--lm " + cfg_.lm.url);
    return out;
  }

  std::vector<ChatAnswer> chat(const std::vector<ChatPrompt>& prompts) override {
    // Chat requests carry one prompt each: the text "sent" is the request body.
    std::vector<std::string> bodies;
    for (const auto& p : prompts) {
      json body = {{"model", settings_.judge_model}, {"temperature", 0}, {"seed", 0}, {"max_tokens", p.max_tokens}};
      body["messages"] = json::array({{{"role", "system"}, {"content", p.system}}, {{"role", "user"}, {"content", p.user}}});
      if (!p.schema.empty())
        body["response_format"] = {{"type", "json_schema"},
                                   {"json_schema", {{"name", "rsq_judge"}, {"strict", true}, {"schema", json::parse(p.schema)}}}};
      bodies.push_back(body.dump(-1, ' ', false, json::error_handler_t::replace));
    }
    std::vector<ChatAnswer> out(prompts.size());
    run_batched<ChatAnswer>(
        bodies, out, 1, [&](std::string_view b) { return key_of({"chat/1", settings_.judge_model, b}); },
        [](const std::string& v, ChatAnswer& a) { a.text = v; }, [](const ChatAnswer& a) { return a.text; },
        [&](const std::vector<const std::string*>& batch) { return http_.post(cfg_.judge.url + "/chat/completions", *batch[0]); },
        [&](const std::string& body, size_t, std::vector<ChatAnswer>& got) {
          json j = json::parse(body, nullptr, false);
          if (j.is_discarded() || !j.is_object() || !j.contains("choices") || !j["choices"].is_array() || j["choices"].empty())
            return false;
          const auto& c = j["choices"][0];
          if (!c.contains("message") || !c["message"].is_object() || !c["message"].contains("content") ||
              !c["message"]["content"].is_string())
            return false;
          got.assign(1, {});
          got[0].text = c["message"]["content"].get<std::string>();
          return true;
        },
        "--judge " + cfg_.judge.url);
    return out;
  }

 private:
  // POSTs `body` with the batch's texts as its `field` array.
  std::future<HttpResponse> post_batch(const std::string& url, json body, const char* field,
                                       const std::vector<const std::string*>& batch) {
    json in = json::array();
    for (const auto* t : batch) in.push_back(*t);
    body[field] = std::move(in);
    return http_.post(url, body.dump(-1, ' ', false, json::error_handler_t::replace));
  }

  // GET {url}/models: the model id the server reports for this endpoint.
  std::string identify(const char* kind, const EndpointConfig& e) {
    // Two further attempts only: a wrong URL should not cost the backoff of
    // a whole run (0.5 + 1 s here, ~30 s with the default retries).
    HttpResponse r = http_.get(e.url + "/models", 2).get();
    const std::string flag = std::string("--") + kind;
    if (r.status == 0) throw Error(ErrorKind::io, flag + " " + e.url + ": cannot reach the server: " + r.error);
    if (r.status != 200)
      throw Error(ErrorKind::io, flag + " " + e.url + ": GET /models answered " + server_message(r) +
                                     " (the URL should end in /v1; docs/endpoints.md)");
    json j = json::parse(r.body, nullptr, false);
    std::vector<std::string> ids;
    if (!j.is_discarded() && j.is_object() && j.contains("data") && j["data"].is_array())
      for (const auto& m : j["data"])
        if (m.is_object() && m.contains("id") && m["id"].is_string()) ids.push_back(m["id"].get<std::string>());
    std::string list;
    for (const auto& i : ids) list += (list.empty() ? "" : ", ") + i;
    if (!e.model.empty()) {
      if (!ids.empty() && std::find(ids.begin(), ids.end(), e.model) == ids.end())
        throw Error(ErrorKind::usage, flag + " " + e.url + " serves " + list + ", not '" + e.model + "'");
      return e.model;
    }
    if (ids.size() == 1) return ids[0];
    if (ids.empty())
      throw Error(ErrorKind::usage, flag + " " + e.url + ": the server lists no model; name it with " + flag + "-model");
    throw Error(ErrorKind::usage, flag + " " + e.url + " serves several models (" + list + "); pick one with " + flag + "-model");
  }

  bool read_embeddings(const std::string& body, size_t n, std::vector<EmbedAnswer>& got) {
    json j = json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("data") || !j["data"].is_array() || j["data"].size() != n) return false;
    got.assign(n, {});
    std::vector<char> seen(n, 0);
    for (size_t k = 0; k < n; ++k) {
      const auto& d = j["data"][k];
      if (!d.is_object() || !d.contains("embedding") || !d["embedding"].is_array()) return false;
      size_t idx = d.contains("index") && d["index"].is_number_unsigned() ? d["index"].get<size_t>() : k;
      if (idx >= n || seen[idx]) return false;
      seen[idx] = 1;
      EmbedAnswer& a = got[idx];
      double norm = 0;
      bool ok = true;
      for (const auto& x : d["embedding"]) {
        if (!x.is_number()) {
          ok = false;
          break;
        }
        double v = x.get<double>();
        if (!std::isfinite(v)) ok = false;
        norm += v * v;
        a.vector.push_back(v);
      }
      if (!ok || a.vector.empty() || !(norm > 0) || (dim_ && a.vector.size() != dim_)) {
        a.vector.clear();
        a.failure = "model-bad-vector";
      }
    }
    return true;
  }

  bool read_logprobs(const std::string& body, size_t n, std::vector<LogprobAnswer>& got) {
    json j = json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("choices") || !j["choices"].is_array() || j["choices"].size() != n)
      return false;
    got.assign(n, {});
    for (size_t k = 0; k < n; ++k) {
      const auto& c = j["choices"][k];
      if (!c.is_object()) return false;
      size_t idx = c.contains("index") && c["index"].is_number_unsigned() ? c["index"].get<size_t>() : k;
      if (idx >= n) return false;
      LogprobAnswer& a = got[idx];
      const json* lp = nullptr;
      if (c.contains("logprobs") && c["logprobs"].is_object() && c["logprobs"].contains("token_logprobs"))
        lp = &c["logprobs"]["token_logprobs"];
      if (!lp || !lp->is_array()) {
        a.failure = "model-no-logprobs";
        continue;
      }
      bool ok = true;
      for (size_t i = 0; i < lp->size(); ++i) {
        const auto& x = (*lp)[i];
        if (x.is_null() && i == 0) continue;  // the first token has no context
        if (!x.is_number() || !std::isfinite(x.get<double>()) || x.get<double>() > 1e-6) {
          ok = false;
          break;
        }
        a.logprobs.push_back(std::min(0.0, x.get<double>()));
      }
      if (!ok || a.logprobs.empty()) {
        a.logprobs.clear();
        a.failure = "model-bad-logprobs";
      }
    }
    return true;
  }

  // Cache lookups, then the misses in batches, all batches in flight at
  // once; a batch the server finds too large is split in halves, a single
  // input too large fails as model-too-long. Answers are stored as they
  // arrive. Identical texts are asked once.
  template <class Answer, class Key, class Decode, class Encode, class Send, class Read>
  void run_batched(const std::vector<std::string>& texts, std::vector<Answer>& out, size_t batch_max, Key key,
                   Decode decode, Encode encode, Send send, Read read, const std::string& flag) {
    std::unordered_map<std::string_view, size_t> first;
    std::vector<size_t> same(texts.size());
    std::vector<size_t> todo;  // unique uncached inputs
    std::vector<std::string> keys(texts.size());
    for (size_t i = 0; i < texts.size(); ++i) {
      auto [it, fresh] = first.emplace(texts[i], i);
      same[i] = it->second;
      if (!fresh) continue;
      keys[i] = key(texts[i]);
      if (cache_) {
        if (auto v = cache_->get(keys[i])) {
          decode(*v, out[i]);
          continue;
        }
      }
      todo.push_back(i);
    }
    struct Pending {
      std::vector<size_t> idx;
      std::future<HttpResponse> f;
      int garbled = 0;
    };
    std::deque<Pending> pending;
    auto submit = [&](std::vector<size_t> idx, int garbled) {
      std::vector<const std::string*> b;
      for (size_t i : idx) b.push_back(&texts[i]);
      pending.push_back({std::move(idx), send(b), garbled});
    };
    {
      std::vector<size_t> cur;
      size_t bytes = 0;
      for (size_t i : todo) {
        if (!cur.empty() && (cur.size() >= batch_max || bytes + texts[i].size() > cfg_.batch_chars)) {
          submit(std::move(cur), 0);
          cur.clear();
          bytes = 0;
        }
        cur.push_back(i);
        bytes += texts[i].size();
      }
      if (!cur.empty()) submit(std::move(cur), 0);
    }
    while (!pending.empty()) {
      Pending p = std::move(pending.front());
      pending.pop_front();
      HttpResponse r = p.f.get();
      if (r.status == 200) {
        std::vector<Answer> got;
        if (read(r.body, p.idx.size(), got)) {
          std::vector<std::pair<std::string, std::string>> store;
          for (size_t k = 0; k < p.idx.size(); ++k) {
            out[p.idx[k]] = std::move(got[k]);
            if (out[p.idx[k]].failure.empty()) store.emplace_back(keys[p.idx[k]], encode(out[p.idx[k]]));
          }
          if (cache_) cache_->put(store);
          continue;
        }
        // A 200 whose body is not the expected JSON: ask again a few times.
        if (p.garbled < 2) {
          submit(std::move(p.idx), p.garbled + 1);
          continue;
        }
        last_message_ = "the server's answer is not the expected JSON: " + r.body.substr(0, 200);
        for (size_t i : p.idx) out[i].failure = "model-bad-response";
        continue;
      }
      if (too_large(r)) {
        if (p.idx.size() == 1) {
          last_message_ = server_message(r);
          out[p.idx[0]].failure = "model-too-long";
          continue;
        }
        std::vector<size_t> a(p.idx.begin(), p.idx.begin() + static_cast<std::ptrdiff_t>(p.idx.size() / 2));
        std::vector<size_t> b(p.idx.begin() + static_cast<std::ptrdiff_t>(p.idx.size() / 2), p.idx.end());
        submit(std::move(a), 0);
        submit(std::move(b), 0);
        continue;
      }
      last_message_ = server_message(r);
      if (!HttpClient::retryable(r) || setup_) {
        // The server refuses the request itself (400, 401, 404...): every
        // further request would fail the same way, so the run stops here.
        for (auto& q : pending) q.f.wait();
        throw Error(setup_ && r.status >= 400 && r.status < 500 ? ErrorKind::usage : ErrorKind::io,
                    flag + ": the server refused the request: " + last_message_ +
                        (setup_ ? hint(flag) : std::string(" (after ") + std::to_string(r.attempts) + " attempts)"));
      }
      for (size_t i : p.idx) out[i].failure = r.status == 0 ? "model-unreachable" : "model-http-" + std::to_string(r.status);
    }
    for (size_t i = 0; i < texts.size(); ++i)
      if (same[i] != i) out[i] = out[same[i]];
  }

  std::string hint(const std::string& flag) const {
    if (flag.rfind("--lm", 0) == 0)
      return "; the --lm endpoint must return prompt log-probabilities (/v1/completions with echo, logprobs and "
             "max_tokens 0): vLLM does, llama-server, TEI and Ollama do not (docs/endpoints.md)";
    return " (docs/endpoints.md)";
  }

  ModelClientConfig cfg_;
  HttpClient http_;
  std::unique_ptr<Cache> cache_;
  ModelSettings settings_;
  size_t dim_ = 0;
  bool setup_ = false;
  std::string last_message_;
};

}  // namespace

std::unique_ptr<ModelService> open_model_client(const ModelClientConfig& cfg) {
  auto s = std::make_unique<Service>(cfg);
  return s;
}

ModelClientStats model_client_stats(const ModelService& s) {
  if (auto* x = dynamic_cast<const Service*>(&s)) return x->stats();
  return {};
}

void load_endpoints_file(const std::string& path, ModelClientConfig& cfg) {
  std::ifstream f(path);
  if (!f) throw Error(ErrorKind::usage, "--endpoints: cannot open '" + path + "'");
  std::stringstream ss;
  ss << f.rdbuf();
  json j = json::parse(ss.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw Error(ErrorKind::usage, "--endpoints " + path + ": not a JSON object");
  auto str = [&](const json& o, const char* k, std::string& dst, const std::string& where) {
    if (!o.contains(k)) return;
    if (!o[k].is_string()) throw Error(ErrorKind::usage, "--endpoints " + path + ": '" + where + "." + k + "' must be a string");
    dst = o[k].get<std::string>();
  };
  for (auto [name, e] : {std::pair<const char*, EndpointConfig*>{"embed", &cfg.embed}, {"lm", &cfg.lm}, {"judge", &cfg.judge}}) {
    if (!j.contains(name)) continue;
    const json& o = j[name];
    if (!o.is_object()) throw Error(ErrorKind::usage, "--endpoints " + path + ": '" + name + "' must be an object");
    str(o, "url", e->url, name);
    str(o, "model", e->model, name);
    if (std::string(name) == "embed") {
      str(o, "query_prefix", cfg.embed_prefix, name);
      if (o.contains("piece_chars")) {
        if (!o["piece_chars"].is_number_unsigned())
          throw Error(ErrorKind::usage, "--endpoints " + path + ": 'embed.piece_chars' must be a non-negative integer");
        cfg.embed_max_chars = o["piece_chars"].get<uint64_t>();
      }
    }
  }
  std::string key_file;
  str(j, "api_key_file", key_file, "");
  if (!key_file.empty()) {
    std::ifstream k(key_file);
    if (!k) throw Error(ErrorKind::usage, "--endpoints " + path + ": cannot read api_key_file '" + key_file + "'");
    std::getline(k, cfg.api_key);
  }
}

}  // namespace rsq
