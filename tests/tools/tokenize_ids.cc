// tokenize_ids — the tokenizer differential test's probe (tests/tokenizers/):
// reads JSON strings, one per line, and writes each one's token ids with
// rsq's tokenizer as a JSON array (null when the text is not valid UTF-8).
// Usage: tokenize_ids TOKENIZER.json < texts.jsonl > ids.jsonl
//        tokenize_ids TOKENIZER.json --time ROUNDS < texts.jsonl   (bench/tokenizers.py:
//        encodes every text ROUNDS times on this thread, a fresh encoder each round, prints bytes, tokens, seconds)
#include <chrono>
#include <cstring>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "rsq/error.h"
#include "tokenizer/tokenizer.h"

int main(int argc, char** argv) {
  const bool timed = argc == 4 && std::strcmp(argv[2], "--time") == 0;
  if (argc != 2 && !timed) {
    std::cerr << "usage: tokenize_ids TOKENIZER.json [--time ROUNDS] < texts.jsonl\n";
    return 2;
  }
  try {
    auto t = rsq::tok::Tokenizer::load(argv[1]);
    rsq::tok::Encoder enc(t);
    std::vector<uint32_t> ids;
    std::string line;
    if (timed) {
      std::vector<std::string> texts;
      size_t bytes = 0, tokens = 0;
      while (std::getline(std::cin, line)) {
        texts.push_back(nlohmann::json::parse(line).get<std::string>());
        bytes += texts.back().size();
      }
      const int rounds = std::atoi(argv[3]);
      const auto t0 = std::chrono::steady_clock::now();
      // A fresh encoder each round: its piece cache starts cold, as in a
      // run over a new file (the JavaScript side keeps its warm JIT).
      for (int r = 0; r < rounds; ++r) {
        rsq::tok::Encoder fresh(t);
        for (const auto& s : texts) tokens += static_cast<size_t>(fresh.count(s));
      }
      const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::cout << bytes * static_cast<size_t>(rounds) << " " << tokens << " " << sec << "\n";
      return 0;
    }
    while (std::getline(std::cin, line)) {
      std::string text = nlohmann::json::parse(line).get<std::string>();
      if (!enc.encode(text, ids)) {
        std::cout << "null\n";
        continue;
      }
      std::cout << '[';
      for (size_t i = 0; i < ids.size(); ++i) std::cout << (i ? "," : "") << ids[i];
      std::cout << "]\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "tokenize_ids: " << e.what() << "\n";
    return 3;
  }
  return 0;
}
