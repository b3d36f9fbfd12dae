cat data/samples/*.jsonl > all.jsonl && rsq filter all.jsonl -q --max-bad-lines 100 --where 'reasoning_words >= 40 && !truncated && redundancy_ratio < 0.5' --reasons why.jsonl > kept.jsonl; rsq annotate all.jsonl -q --max-bad-lines 100 --metrics-only > ann.jsonl; python3 -c "
import json
ann=[json.loads(l) for l in open('ann.jsonl')]
exp=[a['line'] for a in ann if 'reasoning_words' in a and a['reasoning_words'] is not None and a['reasoning_words']>=40 and not a['truncated'] and a['redundancy_ratio'] is not None and a['redundancy_ratio']<0.5]
rej={json.loads(l)['line'] for l in open('why.jsonl')}
kept=[a['line'] for a in ann if a['line'] not in rej]
print('kept', len(kept), 'of', len(ann), '- same as selecting on annotate (all metrics computed):', kept==exp)"
