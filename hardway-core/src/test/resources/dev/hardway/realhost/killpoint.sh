#!/bin/bash
# Real-host test fault injection, installed in the test kit as killpoint/mv and killpoint/systemctl and put first
# on install.sh's PATH for one run: kill -9 of install.sh at an exact point instead of after a guessed delay.
#   KILL_AT=WHEN:COMMAND:N[:ARGUMENT]   WHEN is before or after the N-th call of COMMAND (whose arguments contain
#                                       ARGUMENT, if given); the call's parent, install.sh, gets SIGKILL there
name="$(basename "$0")"
real="/usr/bin/$name"
IFS=: read -r when command nth argument <<<"${KILL_AT:-}"
hit=0
if [ "$command" = "$name" ] && { [ -z "$argument" ] || [[ " $* " == *" $argument "* ]]; }; then
  count_file="/run/hardway-killpoint.count"
  n=$(( $(cat "$count_file" 2>/dev/null || echo 0) + 1 ))
  echo "$n" > "$count_file"
  [ "$n" -ne "$nth" ] || hit=1
fi
if [ "$hit" -eq 1 ] && [ "$when" = before ]; then
  echo "killpoint: kill -9 install.sh (pid $PPID) before: $name $*" >&2
  kill -9 "$PPID"
  exit 137
fi
"$real" "$@"
rc=$?
if [ "$hit" -eq 1 ]; then
  echo "killpoint: kill -9 install.sh (pid $PPID) after: $name $*" >&2
  kill -9 "$PPID"
fi
exit "$rc"
