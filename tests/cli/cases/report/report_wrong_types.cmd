rsq report tests/data/report/wrong-types.json
