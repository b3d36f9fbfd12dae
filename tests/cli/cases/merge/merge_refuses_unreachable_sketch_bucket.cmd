rsq score data/samples/gsm8k-test-excerpt.jsonl --state --format json -q -o a.json && rsq score data/samples/mixed-layouts.jsonl --state --format json -q -o b.json && python3 -c "
import json
j = json.load(open('b.json'))
s = j['datasets'][0]['metrics']['reasoning_chars']['state']['sketch']
s['pos'][0][0] = 2000000000
json.dump(j, open('c.json', 'w'))
" && rsq merge a.json b.json > /dev/null && echo "intact: exit $?"; rsq merge a.json c.json > /dev/null; echo "bucket 2e9: exit $?"
