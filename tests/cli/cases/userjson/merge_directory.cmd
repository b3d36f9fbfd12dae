rsq merge data
