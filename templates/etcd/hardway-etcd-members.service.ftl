[Unit]
Description=Matches etcd's members to cluster ${cluster}'s list by name (moves, removals), keeping a quorum
Documentation=https://etcd.io/docs/v3.5/op-guide/runtime-configuration/
# it talks to this controller's member; it never starts or restarts etcd itself
After=etcd.service
Wants=etcd.service

[Service]
Type=oneshot
RemainAfterExit=yes
# runs again whenever ${membersFile} changes (install.sh restarts it); idempotent
ExecStart=${script} reconcile ${node}
# No [Install] section: the unit is static, never started at boot, only by install.sh once it has installed its
# bundle's members file. At boot that file may be stale: on a controller that rebooted (or was down) after a newly
# added controller's bundle went in, and before its own, it lacks the new member, and reconciling would remove that
# healthy member (and stop its etcd).
