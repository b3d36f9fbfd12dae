rsq correlate --metrics tests/data/paper/metrics.csv --results tests/data/correlate/duplicate.csv
