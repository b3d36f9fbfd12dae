rsq score data/samples/gsm8k-test-excerpt.jsonl --scale 11b --explain -q | grep -E "coverage|needs"
