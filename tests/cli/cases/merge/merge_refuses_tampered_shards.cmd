rsq score data/samples/gsm8k-test-excerpt.jsonl --state --format json -q -o a.json && python3 -c "
import json
def alter(name, f):
    j = json.load(open('a.json')); f(j['datasets'][0]); json.dump(j, open(name, 'w'))
alter('neg.json', lambda d: d.update(scored=-1))
alter('madeup.json', lambda d: d.update(skipped={'made-up': 3}, lines=d['lines'] + 3))
alter('sum.json', lambda d: d.update(lines=d['lines'] + 1))
" && for f in a neg madeup sum; do rsq merge a.json $f.json > /dev/null; echo "$f: exit $?"; done
