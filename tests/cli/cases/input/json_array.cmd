rsq score tests/data/r1-dump-array.json --format json
