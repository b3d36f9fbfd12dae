rsq score tests/data/tags/plain-qa.jsonl --metrics structure
