rsq filter tests/data/bad-lines.jsonl --where "reasoning_words > 3" > /dev/null
