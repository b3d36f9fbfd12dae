rsq filter tests/data/r1-dump-array.json --where "reasoning_words > 1"
