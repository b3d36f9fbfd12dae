printf '[]\n{"question":"q","reasoning":"some trace words","answer":"a"}\n[1]\n' > f.jsonl && rsq score f.jsonl --format csv --metrics verbosity --max-bad-lines 5 | cut -d, -f1-4 | head -3
