rsq score --help
