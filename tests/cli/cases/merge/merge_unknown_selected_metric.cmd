rsq score data/samples/gsm8k-test-excerpt.jsonl --metrics reasoning_words --state --format json -q -o a.json && sed "s/\"reasoning_words\"$/\"reasoning_wordz\"/" a.json > b.json && rsq merge b.json
