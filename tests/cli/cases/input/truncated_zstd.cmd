zstd -q -c data/samples/skythought-math500-excerpt.jsonl | head -c 6000 | rsq score --format csv
