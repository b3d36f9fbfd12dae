// tokenizer/bpe.h (internal) — the BPE model's steps, for the encoder and
// its tests: a piece's initial symbols and the two merge loops.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "tokenizer/tokenizer.h"

namespace rsq::tok {

struct HeapScratch {
  std::vector<int32_t> prev, next;
  std::vector<uint8_t> alive;
};

void initial_symbols(const Model& m, std::string_view piece, std::vector<uint32_t>& syms);
// Quadratic in the symbols: for short pieces. ranks is scratch.
void merge_linear(const Model& m, std::vector<uint32_t>& syms, std::vector<uint64_t>& ranks);
// n log n: for long pieces.
void merge_heap(const Model& m, std::vector<uint32_t>& syms, HeapScratch& h);

}  // namespace rsq::tok
