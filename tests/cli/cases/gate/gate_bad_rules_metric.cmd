rsq gate data/samples/gsm8k-test-excerpt.jsonl --rules tests/data/gate/bad-metric.json
