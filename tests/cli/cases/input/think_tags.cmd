printf "{\"prompt\":\"q\",\"output\":\"[[T]]steps one two[[/T]] answer\"}\n" | rsq score --think-tags "[[T]],[[/T]]" --format csv
