rsq score tests/data/bad-lines.jsonl -q > /dev/null; echo "exit $?"; rsq annotate tests/data/bad-lines.jsonl -q > /dev/null; echo "exit $?"
