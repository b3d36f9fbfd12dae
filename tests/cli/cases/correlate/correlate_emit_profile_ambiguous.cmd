rsq correlate --metrics tests/data/paper/metrics.csv --results tests/data/paper/results.csv --emit-profile fitted.json > /dev/null
