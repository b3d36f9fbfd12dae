rsq gate tests/data/bad-lines.jsonl --rules tests/data/gate/basic.json
