set -o pipefail; rsq filter data/samples/gsm8k-test-excerpt.jsonl --where "reasoning_words > 1" -q | head -1 | cut -c1-60
