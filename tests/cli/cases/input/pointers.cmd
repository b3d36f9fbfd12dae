rsq score data/samples/mixed-layouts.jsonl --question /question --reasoning /reasoning --answer /answer --format csv
