rsq correlate --metrics tests/data/correlate/random-8-metrics.csv --results tests/data/correlate/random-8-results.csv --emit-profile fitted.json > /dev/null && cat fitted.json
