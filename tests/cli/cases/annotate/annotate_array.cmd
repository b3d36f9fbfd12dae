rsq annotate tests/data/r1-dump-array.json | cut -c1-200
