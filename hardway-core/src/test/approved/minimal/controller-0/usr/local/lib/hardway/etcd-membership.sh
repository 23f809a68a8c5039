#!/bin/sh
# etcd membership of a controller of cluster demo, as kubeadm join does it, run by systemd:
#   bootstrap NAME ENV_FILE  (etcd.service, ExecStartPre) only while the data directory is empty: join the
#                            running cluster if one answers on another member's client URL (member add through
#                            it, then start as "existing"), else bootstrap a new one with every member of the
#                            members file; writes etcd's ETCD_INITIAL_CLUSTER and ETCD_INITIAL_CLUSTER_STATE
#   reconcile NAME           (hardway-etcd-members.service) match the cluster's members to the members file BY
#                            NAME: a member whose name is listed with another peer URL is that controller moved to
#                            a new address (member update, as etcd's runtime reconfiguration changes a peer URL);
#                            a member whose name is no longer listed is removed, and so is an added member that never
#                            started at the peer URL a listed one moves to; one change at a time, only while a quorum
#                            is healthy and keeps one. Controllers swapping addresses cannot be moved so: it says how,
#                            through a free address
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
  # the name is the member's identity: under another peer URL it is this controller's member from before a move,
  # whose data this empty directory no longer holds; adding a second member of that name would leave both, and so
  # would starting as an added member that never started at this peer URL (its initial cluster would name it twice)
  same_name=$(printf '%s\n' "$list" | awk -v n="$name" -v u="$peer_url" '$3 == n && $4 != u')
  if [ -n "$same_name" ] && { [ -z "$mine" ] || [ "$(printf '%s\n' "$mine" | awk '{ print $3 }')" = - ]; }; then
    read -r id _ _ known_peer _ <<EOF
$same_name
EOF
    log "the cluster knows $name as a started member at $known_peer, but $data_dir is empty: remove it first" \
      "(etcdctl member remove $id), then start etcd again"
    exit 1
  fi
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
    holder=$(printf '%s\n' "$mine" | awk '{ print $3 }')
    moving_to=$(desired | awk -v n="$holder" -v u="$peer_url" '$1 == n && $2 != u { print $2 }')
    if [ -n "$moving_to" ]; then
      # the member there is another controller's, listed at a new address: removing it would kill that etcd
      log "$peer_url still belongs to $holder, which $members lists at $moving_to: hardway-etcd-members on a" \
        "running controller moves it there; this start fails until then, and systemd tries it again"
    else
      log "the cluster knows $peer_url as the started member $holder, but $data_dir is empty: remove it first" \
        "(etcdctl member remove $(printf '%s\n' "$mine" | awk '{ print $1 }')), then start etcd again"
    fi
    exit 1
  fi
}

# healthy URL: the member at URL commits a read through the cluster's quorum
healthy() {
  [ "$1" != - ] && ctl --endpoints="$1" endpoint health > /dev/null 2>&1
}

# plan: what reconcile does about each member of the cluster ($list), one line each, in the list's order.
# Members are matched to the members file by name, the member's identity; a peer URL is only where it is now.
#   move ID NAME PEER NEW_PEER CLIENT  its name is listed with another peer URL: that controller's new address
#   swap ID NAME PEER NEW_PEER HOLDER STEPS  as move, but HOLDER has NEW_PEER and is moving too, in a circle
#                                back to PEER (two controllers swapping addresses): etcd lets no two members share a
#                                peer URL, so no order of single moves does it; STEPS is the way round, through a
#                                free address
#   blocked ID NAME PEER NEW_PEER HOLDER HOLDER_ID  as move, but another member (HOLDER) still has NEW_PEER
#   remove ID NAME PEER CLIENT   its name is no longer listed; or it never started (no name yet) and its peer URL
#                                is not listed; or it is a stale second member of a listed name
#   unstarted ID PEER OWNER OWNER_ID OWNER_PEER  it never started (no name yet) and has the peer URL the members
#                                file gives OWNER, a started member elsewhere: not OWNER's (OWNER's member, with its
#                                data, is OWNER_ID; bootstrap adds no second member for a started name), so nothing
#                                can start as it, and it keeps OWNER from moving there: a stale extra member
#   renamed ID NAME PEER NEW_NAME  a started member whose name is not listed but whose peer URL is, under a name
#                                no member has: the same controller renamed in place (same address, same data
#                                directory); etcd takes the new name when that member restarts with it, so it stays
# A member whose name and peer URL are both listed together prints nothing: there is nothing to do.
plan() {
  printf '%s\n' "$list" | awk -v want="$(desired)" '
    BEGIN {
      n = split(want, lines, "\n")
      for (i = 1; i <= n; i++) {
        split(lines[i], f, " ")
        if (f[2] != "") { peer_of[f[1]] = f[2]; name_at[f[2]] = f[1] }
      }
    }
    # host URL: the address in a peer URL, as cluster.yaml gives it (internalIp)
    function host(u) { sub(/^[a-z]+:\/\//, "", u); sub(/:[0-9]+$/, "", u); return u }
    # circle NAME: the members whose moves wait on each other in a circle back to NAME, as "name,name,...", or ""
    function circle(first,   cur, t, h, k, out) {
      out = first; cur = first
      for (k = 0; k < NR; k++) {
        t = peer_of[cur]
        if (!(t in holder)) return ""
        h = holder[t]
        if (h == first) return out
        if (h == "-" || !(h in peer_of) || peer_of[h] == at[h]) return ""
        out = out "," h; cur = h
      }
      return ""
    }
    # steps CIRCLE: the single moves that do it, one generate and install each: the first member to a free
    # address, which frees its peer URL for the one that wants it, and so on back round to the first
    function steps(names,   c, k, j, s, taken) {
      k = split(names, c, ",")
      for (j = 1; j <= k; j++) taken = taken (j == 1 ? "" : j == k ? " or " : ", ") host(at[c[j]])
      s = "1. " c[1] " to a free address (not " taken ")"
      for (j = 2; j <= k; j++) s = s (j == k ? " and " : ", ") c[j] " back to " host(at[c[j]])
      for (j = k; j >= 2; j--) s = s "; " (k - j + 2) ". " c[j] " to " host(at[c[j % k + 1]])
      return s "; " (k + 1) ". " c[1] " to " host(at[c[2]])
    }
    {
      id[NR] = $1; nm[NR] = $3; peer[NR] = $4; client[NR] = $5; holder[$4] = $3; holder_id[$4] = $1
      if ($3 != "-") { started[$3] = 1; at[$3] = $4; id_of[$3] = $1 }
    }
    END {
      for (i = 1; i <= NR; i++) {
        n = nm[i]; p = peer[i]
        if (n == "-") {
          # added but never started: it has no name yet, so only its peer URL says whose it is
          if (!(p in name_at)) print "remove", id[i], n, p, client[i]
          else if ((o = name_at[p]) in started) print "unstarted", id[i], p, o, id_of[o], at[o]
        } else if (n in peer_of) {
          to = peer_of[n]
          if (to == p) continue
          if (!(to in holder)) print "move", id[i], n, p, to, client[i]
          else if (holder[to] == n) print "remove", id[i], n, p, client[i]
          else if ((c = circle(n)) != "") print "swap", id[i], n, p, to, holder[to], steps(c)
          else print "blocked", id[i], n, p, to, holder[to], holder_id[to]
        } else if ((p in name_at) && !(name_at[p] in started)) {
          print "renamed", id[i], n, p, name_at[p]
        } else {
          print "remove", id[i], n, p, client[i]
        }
      }
    }'
}

# quorum_kept WHAT ID NAME CLIENT: whether a quorum of the members is healthy now, and a quorum of what remains
# stays healthy without member ID (at CLIENT, "-" to count it): a removed member stops serving at once, and a
# moved one is cut off from its peers until it listens at its new peer URL. Sets healthy_others and remaining;
# says why not.
quorum_kept() {
  total=$(printf '%s\n' "$list" | wc -l)
  healthy_now=0 healthy_others=0
  for url in $(printf '%s\n' "$list" | awk '{ print $5 }'); do
    if healthy "$url"; then
      healthy_now=$((healthy_now + 1))
      [ "$url" = "$4" ] || healthy_others=$((healthy_others + 1))
    fi
  done
  remaining=$total
  [ "$1" != removing ] || remaining=$((total - 1))
  quorum_now=$((total / 2 + 1)) quorum_after=$((remaining / 2 + 1))
  if [ "$healthy_now" -lt "$quorum_now" ]; then
    log "only $healthy_now of $total members are healthy (quorum $quorum_now): not $1 $3 ($2)"
    return 1
  fi
  if [ "$healthy_others" -lt "$quorum_after" ]; then
    log "$1 $3 ($2) would leave $healthy_others healthy of $remaining (quorum $quorum_after)"
    return 1
  fi
}

reconcile() {
  attempt=1
  until list=$(members_of "$client_url" 2> /dev/null); do
    if [ "$attempt" -ge 6 ]; then
      # a member of a cluster still forming serves nobody; such a cluster has no departed members to remove
      log "the local member does not answer (no quorum yet?): nothing changed; install.sh runs this again" \
        "when the members file changes, or: systemctl restart hardway-etcd-members"
      return 0
    fi
    attempt=$((attempt + 1))
    sleep 3
  done
  changes=0
  # each pass makes one change and reads the members again; a member is moved at most once and removed at most
  # once, so more passes than twice the members would be a bug: stop rather than loop
  limit=$(($(printf '%s\n' "$list" | wc -l) * 2))
  while :; do
    if [ "$changes" -ge "$limit" ]; then
      log "$changes changes and the members still differ from $members: stopping"
      exit 1
    fi
    actions=$(plan)
    move=$(printf '%s\n' "$actions" | awk '$1 == "move" { print; exit }')
    departed=$(printf '%s\n' "$actions" | awk '$1 == "remove" { print; exit }')
    stale=$(printf '%s\n' "$actions" | awk '$1 == "unstarted" { print; exit }')
    if [ -n "$move" ]; then
      # moves first: they keep the number of members, and make a moved member reachable for its peers again
      read -r _ id who old_peer new_peer who_client <<EOF
$move
EOF
      # the member this runs on answered at its listed client URL: it already listens at its new address
      [ "$who" != "$name" ] || who_client=-
      quorum_kept moving "$id" "$who" "$who_client" || exit 1
      log "moving $who ($id) from $old_peer to $new_peer: its name is listed with that peer URL, so it is the" \
        "same member at a new address (member update; removing it would strand its data);" \
        "$healthy_others other members are healthy"
      ctl --endpoints="$client_url" member update "$id" --peer-urls="$new_peer" >&2
    elif [ -n "$departed" ]; then
      read -r _ id gone_name gone_peer gone_client <<EOF
$departed
EOF
      quorum_kept removing "$id" "$gone_name" "$gone_client" || exit 1
      log "removing $gone_name ($id, $gone_peer): $healthy_others of the $remaining remaining members are healthy"
      ctl --endpoints="$client_url" member remove "$id" >&2
    elif [ -n "$stale" ]; then
      read -r _ id stale_peer owner owner_id owner_peer <<EOF
$stale
EOF
      # it serves nothing, yet counts toward the quorum; and a move of its owner is ruled out while it is there
      quorum_kept removing "$id" "the added member that never started at $stale_peer" - || exit 1
      log "removing the added member that never started ($id, no name yet, at $stale_peer): $members lists" \
        "$owner there, but $owner's member is $owner_id at $owner_peer, with its data (bootstrap adds no second" \
        "member for a started name, so nothing can start as this one); etcd lets no two members share a peer" \
        "URL, so $owner moves there once it is gone; $healthy_others of the $remaining remaining members are healthy"
      ctl --endpoints="$client_url" member remove "$id" >&2
    else
      printf '%s\n' "$actions" | while read -r what id old_name peer new_name; do
        [ "$what" = renamed ] || continue
        log "keeping $old_name ($id): its peer URL $peer is listed as $new_name, the same controller renamed;" \
          "etcd renames the member when it restarts as $new_name"
      done
      # the same advice whichever member the list shows first: the one whose name sorts first goes round
      swap=$(printf '%s\n' "$actions" | awk '$1 == "swap"' | sort -k 3,3 | head -n 1)
      if [ -n "$swap" ]; then
        read -r _ id who old_peer new_peer holder steps <<EOF
$swap
EOF
        log "cannot move $who ($id) from $old_peer to $new_peer: $holder has that peer URL and is moving too, in a" \
          "circle back to $old_peer (controllers swapping addresses); etcd lets no two members share a peer URL, so" \
          "no order of single moves does it, and neither was moved. Go round through a free address, one" \
          "change of internalIp in cluster.yaml at a time, each generated and installed on every controller" \
          "(each moves one member): $steps"
        exit 1
      fi
      blocked=$(printf '%s\n' "$actions" | awk '$1 == "blocked" { print; exit }')
      if [ -n "$blocked" ]; then
        read -r _ id who old_peer new_peer holder holder_id <<EOF
$blocked
EOF
        log "cannot move $who ($id) from $old_peer to $new_peer: member $holder ($holder_id) still has that peer" \
          "URL (etcd lets no two members share one) and is not moved off it first, so $who was not moved:" \
          "compare etcdctl member list with $members"
        exit 1
      fi
      log "members match $members$([ "$changes" -eq 0 ] || echo " after $changes changes")"
      return 0
    fi
    changes=$((changes + 1))
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
