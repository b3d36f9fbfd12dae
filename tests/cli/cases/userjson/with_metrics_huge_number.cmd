rsq score data/samples/gsm8k-test-excerpt.jsonl -q --scale 8b --with-metrics tests/data/userjson/with-metrics-huge.json
