rsq correlate --metrics tests/data/correlate/random-8-metrics.csv --results tests/data/correlate/random-8-results.csv
