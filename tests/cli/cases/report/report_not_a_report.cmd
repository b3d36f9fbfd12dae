rsq report tests/data/bad-profile.json
