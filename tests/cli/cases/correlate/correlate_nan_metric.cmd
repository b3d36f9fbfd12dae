rsq correlate --metrics tests/data/correlate/nan-metric.csv --results tests/data/paper/results.csv
