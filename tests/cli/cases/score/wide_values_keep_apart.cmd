python3 -c "import json; print(json.dumps({\"question\": \"q\", \"reasoning\": \"word \" * 60000, \"answer\": \"a\"}))" | rsq score -q | grep -E "^metric|reasoning_answer_ratio|reasoning_chars"
