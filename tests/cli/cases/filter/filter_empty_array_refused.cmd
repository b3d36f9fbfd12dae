printf '[]' | rsq filter --where 'reasoning_words > 0'
