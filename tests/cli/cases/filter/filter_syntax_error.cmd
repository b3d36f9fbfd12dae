rsq filter data/samples/mixed-layouts.jsonl --where "reasoning_words >"
