#!/bin/sh
# Applies hardway's pod route table (cluster demo).
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

# Why the kernel refused a gateway, in the terms of the fix: a static route's gateway must be on a link of this
# host, so these routes work only with every node on one layer-2 network.
unreachable_reason() {
  if ! path=$("$ip" route get "$1" 2>/dev/null); then
    echo "$1 is not on a network this host is directly attached to (this host has no route to it at all)"
  elif via=$(printf '%s\n' "$path" | awk '{ for (i = 1; i < NF; i++) if ($i == "via") { print $(i + 1); exit } }') \
      && [ -n "$via" ]; then
    echo "$1 is not on a network this host is directly attached to (it is reached only through the router $via)"
  else
    echo "the kernel refused $1 as a gateway"
  fi
}

wanted=""
failed=""
if [ "$action" = apply ]; then
  own=$(own_addresses)
  while read -r subnet gateway node _; do
    case "$subnet" in ''|'#'*) continue ;; esac
    if printf '%s\n' "$own" | grep -qxF "$gateway"; then
      continue
    fi
    # one peer the kernel refuses must not cost this node its routes to every peer listed after it
    if ! error=$("$ip" route replace "$subnet" via "$gateway" proto "$proto" 2>&1); then
      failed="$failed
  node ${node:-?} (internalIp $gateway), pod subnet $subnet: $(unreachable_reason "$gateway"); ip said: $error"
      continue
    fi
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

# A route that could not be added is not in $wanted, so an older route of hardway's to that subnet (an address
# that changed) is gone above instead of pointing at the wrong host.
if [ -n "$failed" ]; then
  cat >&2 <<EOF
apply-pod-routes: no pod route to these nodes; every other pod route is in place:$failed
Static pod routes send each node's pod subnet to that node's internalIp as a directly reachable gateway, so
every node must be on one layer-2 network (one subnet, no router in between). Either give the nodes internalIp
addresses on one such network, or use a CNI plugin with an overlay (VXLAN or IP-in-IP, e.g. Flannel or Calico)
or a router that carries these routes, instead of hardway's pod routes.
EOF
  exit 1
fi
