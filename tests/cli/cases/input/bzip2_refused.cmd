bzip2 -c data/samples/gsm8k-test-excerpt.jsonl > g.bz2 && rsq score g.bz2; echo "exit $?"
