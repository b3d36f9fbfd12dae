rsq score data/samples/mixed-layouts.jsonl --metrics=-ngrams,-alignment,-verbosity --format csv
