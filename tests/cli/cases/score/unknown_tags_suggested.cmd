rsq score tests/data/tags/thought-tags.jsonl --metrics structure
