rsq score tests/data/bad-lines.jsonl --color=always --format csv > /dev/null
