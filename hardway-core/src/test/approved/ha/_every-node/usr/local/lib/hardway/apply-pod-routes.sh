#!/bin/sh
# Applies hardway's pod route table (cluster ha).
#   apply TABLE   route every pod subnet of TABLE via its node, except this node's own; remove hardway's
#                 routes (protocol 212) that TABLE no longer lists
#   flush TABLE   remove every route hardway added
#   stop TABLE    the unit's ExecStop: flush only when TABLE is gone (hardway's files were removed). systemd also
#                 stops the unit to restart it, when install.sh installs a changed TABLE; flushing then would leave
#                 the node without pod routes until the apply that follows has re-added every one of them.
set -eu
ip=/sbin/ip
proto=212
action=${1:?usage: apply-pod-routes apply|flush|stop TABLE}
table=${2:?usage: apply-pod-routes apply|flush|stop TABLE}
if [ "$action" = stop ]; then
  [ ! -e "$table" ] || exit 0
  action=flush
fi

own_addresses() {
  "$ip" -o addr show | awk '{ split($4, a, "/"); print a[1] }'
}

wanted=""
if [ "$action" = apply ]; then
  own=$(own_addresses)
  while read -r subnet gateway _; do
    case "$subnet" in ''|'#'*) continue ;; esac
    if printf '%s\n' "$own" | grep -qxF "$gateway"; then
      continue
    fi
    "$ip" route replace "$subnet" via "$gateway" proto "$proto"
    wanted="$wanted $subnet"
  done < "$table"
elif [ "$action" != flush ]; then
  echo "apply-pod-routes: unknown action $action" >&2
  exit 2
fi

for family in -4 -6; do
  "$ip" "$family" route show proto "$proto" | while read -r subnet _; do
    case " $wanted " in
      *" $subnet "*) ;;
      *) "$ip" "$family" route del "$subnet" proto "$proto" ;;
    esac
  done
done
