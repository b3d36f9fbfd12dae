rsq --help
