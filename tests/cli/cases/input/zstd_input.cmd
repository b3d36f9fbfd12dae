zstd -q -c data/samples/mixed-layouts.jsonl > m.jsonl.zst && rsq score m.jsonl.zst --format csv
