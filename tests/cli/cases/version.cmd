rsq --version
