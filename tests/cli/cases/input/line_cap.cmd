rsq score data/samples/skythought-math500-excerpt.jsonl --max-line-bytes 4096 --format csv
