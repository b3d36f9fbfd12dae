rsq score data/samples/mixed-layouts.jsonl --words icu --format csv
