// tokenize_ids — the tokenizer differential test's probe (tests/tokenizers/):
// reads JSON strings, one per line, and writes each one's token ids with
// rsq's tokenizer as a JSON array (null when the text is not valid UTF-8).
// Usage: tokenize_ids TOKENIZER.json < texts.jsonl > ids.jsonl
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "rsq/error.h"
#include "tokenizer/tokenizer.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: tokenize_ids TOKENIZER.json < texts.jsonl\n";
    return 2;
  }
  try {
    auto t = rsq::tok::Tokenizer::load(argv[1]);
    rsq::tok::Encoder enc(t);
    std::vector<uint32_t> ids;
    std::string line;
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
