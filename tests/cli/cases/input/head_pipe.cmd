set -o pipefail; rsq score data/samples/skythought-math500-excerpt.jsonl data/samples/gsm8k-test-excerpt.jsonl --format csv | head -2
