"""Every string of a JSON or JSONL file, for the differential tests
(check_peers.py, tests/tokenizers/check_tokenizers.py) and bench/tokenizers.py."""
import json


def strings_of(v, out):
    if isinstance(v, str):
        out.append(v)
    elif isinstance(v, list):
        for x in v:
            strings_of(x, out)
    elif isinstance(v, dict):
        for x in v.values():
            strings_of(x, out)


def texts_from(path, limit):
    """Up to `limit` strings of a JSON document or of a JSONL file's lines (bad lines skipped)."""
    out = []
    with open(path, encoding="utf-8", errors="replace") as f:
        data = f.read()
    try:
        docs = [json.loads(data)]
    except ValueError:
        docs = []
        for line in data.splitlines():
            try:
                docs.append(json.loads(line))
            except ValueError:
                pass
    for d in docs:
        strings_of(d, out)
        if len(out) >= limit:
            break
    return out[:limit]
