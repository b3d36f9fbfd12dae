rsq score data/samples/skythought-math500-excerpt.jsonl data/samples/gsm8k-test-excerpt.jsonl --scale 8b --format markdown --metrics redundancy_ratio,symbolic_fraction
