rsq score does-not-exist.jsonl
