rsq score data/samples/mixed-layouts.jsonl --format csv -o out.csv && ls && cat out.csv | head -3
