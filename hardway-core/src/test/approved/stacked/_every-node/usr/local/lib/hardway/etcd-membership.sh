#!/bin/sh
# etcd membership of a controller of cluster stacked, as kubeadm join does it, run by systemd:
#   bootstrap NAME ENV_FILE  (etcd.service, ExecStartPre) only while the data directory is empty: join the
#                            running cluster if one answers on another member's client URL (member add through
#                            it, then start as "existing"), else bootstrap a new one with every member of the
#                            members file; writes etcd's ETCD_INITIAL_CLUSTER and ETCD_INITIAL_CLUSTER_STATE
#   reconcile NAME           (hardway-etcd-members.service) remove the members the members file no longer lists,
#                            one at a time, only while a quorum is healthy and the remaining members keep one
# NAME is this controller's member name in /etc/hardway/etcd-members.
set -eu

members=/etc/hardway/etcd-members
data_dir=/var/lib/etcd
etcdctl=/usr/local/bin/etcdctl

usage() {
  echo "usage: etcd-membership.sh bootstrap NAME ENV_FILE | reconcile NAME" >&2
  exit 2
}

log() {
  echo "etcd-membership: $*" >&2
}

# ctl ARGS...: etcdctl as this member, with its own certificate (server and client usage, from the etcd CA)
ctl() {
  "$etcdctl" --cacert=/etc/kubernetes/pki/etcd/ca.crt \
    --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key \
    --dial-timeout=2s --command-timeout=5s "$@"
}

# desired: the members file without comments, "name peer-url client-url" per line
desired() {
  awk '!/^[[:space:]]*(#|$)/ { print $1, $2, $3 }' "$members"
}

# field N NAME: field N of member NAME in the members file
field() {
  desired | awk -v n="$2" -v f="$1" '$1 == n { print $f }'
}

# members_of ENDPOINTS: the cluster's members as "id status name peer-url client-url", one per line
members_of() {
  out=$(ctl --endpoints="$1" member list) || return 1
  [ -n "$out" ] || return 1
  printf '%s\n' "$out" | awk -F', ' '{ print $1, $2, ($3 == "" ? "-" : $3), $4, ($5 == "" ? "-" : $5) }'
}

# initial_cluster LIST: etcd's --initial-cluster for the members in LIST, this member under its own name; an
# added member that never started has no name yet, so it gets the one the members file gives its peer URL
initial_cluster() {
  printf '%s\n' "$1" | awk -v self="$name" -v self_peer="$peer_url" -v file="$members" '
    BEGIN { while ((getline line < file) > 0) { split(line, f, " "); if (f[1] !~ /^#/ && f[2] != "") by_peer[f[2]] = f[1] } }
    {
      n = $3
      if ($4 == self_peer) n = self
      else if (n == "-") n = ($4 in by_peer) ? by_peer[$4] : "member-" $1
      out = out (out == "" ? "" : ",") n "=" $4
    }
    END { print out }'
}

write_env() {
  tmp="$env_file.tmp"
  {
    echo "# written by etcd-membership.sh bootstrap $name: how this member starts with an empty data directory"
    echo "ETCD_INITIAL_CLUSTER_STATE=$1"
    echo "ETCD_INITIAL_CLUSTER=$2"
  } > "$tmp"
  mv -f "$tmp" "$env_file"
  log "starting as $1 member of $2"
}

bootstrap() {
  if [ -d "$data_dir/member" ]; then
    # etcd reads the initial cluster only into an empty data directory; this member's membership is in it
    echo "# written by etcd-membership.sh bootstrap $name: $data_dir holds this member's data and membership" \
      > "$env_file"
    return 0
  fi
  # a member that serves clients has a quorum behind it: a cluster still forming answers nobody yet
  list=""
  for url in $(desired | awk -v self="$name" '$1 != self { print $3 }'); do
    if list=$(members_of "$url" 2> /dev/null); then
      log "$url answers: joining its cluster"
      break
    fi
    list=""
  done
  if [ -z "$list" ]; then
    log "no other member answers: bootstrapping with every member of $members (if a running cluster was only" \
      "unreachable, this member cannot join it: stop etcd, empty $data_dir and start etcd again)"
    write_env new "$(desired | awk '{ printf "%s%s=%s", (NR > 1 ? "," : ""), $1, $2 }')"
    return 0
  fi
  mine=$(printf '%s\n' "$list" | awk -v u="$peer_url" '$4 == u')
  if [ -z "$mine" ]; then
    endpoints=$(printf '%s\n' "$list" | awk '$5 != "-" { printf "%s%s", (n++ ? "," : ""), $5 }')
    attempt=1
    # an add is refused while too few members are connected (etcd's strict reconfiguration check): retry
    until ctl --endpoints="$endpoints" member add "$name" --peer-urls="$peer_url" >&2; do
      [ "$attempt" -lt 6 ] || { log "member add $name failed 6 times"; exit 1; }
      attempt=$((attempt + 1))
      sleep 3
      # an add that went through although its answer was lost is fine: it shows in the list
      if members_of "$endpoints" 2> /dev/null | awk -v u="$peer_url" '$4 == u { found = 1 } END { exit !found }'; then
        break
      fi
    done
    list=$(members_of "$endpoints")
    write_env existing "$(initial_cluster "$list")"
  elif [ "$(printf '%s\n' "$mine" | awk '{ print $3 }')" = - ]; then
    log "already added, not started yet"
    write_env existing "$(initial_cluster "$list")"
  elif [ "$(printf '%s\n' "$mine" | awk '{ print $5 }')" = - ]; then
    # one of the initial members of a cluster that formed before this one started
    write_env new "$(initial_cluster "$list")"
  else
    log "the cluster knows $name as a started member, but $data_dir is empty: remove it first" \
      "(etcdctl member remove $(printf '%s\n' "$mine" | awk '{ print $1 }')), then start etcd again"
    exit 1
  fi
}

# healthy URL: the member at URL commits a read through the cluster's quorum
healthy() {
  [ "$1" != - ] && ctl --endpoints="$1" endpoint health > /dev/null 2>&1
}

reconcile() {
  attempt=1
  until list=$(members_of "$client_url" 2> /dev/null); do
    if [ "$attempt" -ge 6 ]; then
      # a member of a cluster still forming serves nobody; such a cluster has no departed members to remove
      log "the local member does not answer (no quorum yet?): nothing removed; install.sh runs this again" \
        "when the members file changes, or: systemctl restart hardway-etcd-members"
      return 0
    fi
    attempt=$((attempt + 1))
    sleep 3
  done
  wanted=$(desired | awk '{ printf "%s ", $2 }')
  removals=0
  while :; do
    departed=$(printf '%s\n' "$list" | awk -v w="$wanted" 'BEGIN { split(w, a, " "); for (i in a) keep[a[i]] = 1 }
      !($4 in keep) { print; exit }')
    if [ -z "$departed" ]; then
      log "members match $members$([ "$removals" -eq 0 ] || echo " after $removals removals")"
      return 0
    fi
    read -r id _ gone_name gone_peer gone_client <<EOF
$departed
EOF
    total=$(printf '%s\n' "$list" | wc -l)
    healthy_now=0 healthy_after=0
    for url in $(printf '%s\n' "$list" | awk '{ print $5 }'); do
      if healthy "$url"; then
        healthy_now=$((healthy_now + 1))
        [ "$url" = "$gone_client" ] || healthy_after=$((healthy_after + 1))
      fi
    done
    quorum_now=$((total / 2 + 1)) quorum_after=$(((total - 1) / 2 + 1))
    if [ "$healthy_now" -lt "$quorum_now" ]; then
      log "only $healthy_now of $total members are healthy (quorum $quorum_now): not removing $gone_name ($id)"
      exit 1
    fi
    if [ "$healthy_after" -lt "$quorum_after" ]; then
      log "removing $gone_name ($id) would leave $healthy_after healthy of $((total - 1)) (quorum $quorum_after)"
      exit 1
    fi
    log "removing $gone_name ($id, $gone_peer): $healthy_after of the $((total - 1)) remaining members are healthy"
    ctl --endpoints="$client_url" member remove "$id" >&2
    removals=$((removals + 1))
    list=$(members_of "$client_url")
  done
}

[ $# -ge 2 ] || usage
action=$1 name=$2
peer_url=$(field 2 "$name")
client_url=$(field 3 "$name")
[ -n "$peer_url" ] || { log "$name is not a member in $members"; exit 1; }
case "$action" in
  bootstrap)
    [ $# -eq 3 ] || usage
    env_file=$3
    bootstrap ;;
  reconcile)
    [ $# -eq 2 ] || usage
    reconcile ;;
  *) usage ;;
esac
