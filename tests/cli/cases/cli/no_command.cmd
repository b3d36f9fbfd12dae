rsq
