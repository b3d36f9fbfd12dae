rsq score data/samples/gsm8k-test-excerpt.jsonl --compressor zlib:6 --format csv
