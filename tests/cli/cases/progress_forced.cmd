rsq score data/samples/mixed-layouts.jsonl --progress=always --format csv > /dev/null
