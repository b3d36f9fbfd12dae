rsq filter tests/data/crlf-bom.jsonl --where "reasoning_words >= 1" -q | od -c | tail -4
