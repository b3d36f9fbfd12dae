rsq score --compressor lz4:1 data/samples/mixed-layouts.jsonl
