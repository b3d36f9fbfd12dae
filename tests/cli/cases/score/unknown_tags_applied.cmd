rsq score tests/data/tags/thought-tags.jsonl --metrics structure --think-tags "<thought>,</thought>" --think-tags "[THINK],[/THINK]"
