rsq correlate --metrics tests/data/paper/metrics.csv --results tests/data/paper/results.csv --format csv --emit-profile fitted.json --model Bielik-11B-v2.6-Instruct > /dev/null && cat fitted.json
