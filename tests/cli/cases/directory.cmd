rsq score data/samples
