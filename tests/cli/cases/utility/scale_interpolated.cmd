rsq score tests/data/paper/variants/detailed.jsonl --with-metrics tests/data/paper/imported.json --scale 9.5b --explain -q | grep -E "utility|redundancy_ratio"
