script -qec "rsq score" /dev/null < /dev/null | tr -d "\r"; echo "exit ${PIPESTATUS[0]}"
