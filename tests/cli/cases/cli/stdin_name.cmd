cat data/samples/gsm8k-test-excerpt.jsonl | rsq score --name gsm8k-test --format csv | head -2; printf "{\"q\": 1}\n" | rsq score --name mine > /dev/null; echo "exit $?"
