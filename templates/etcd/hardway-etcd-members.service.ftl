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

[Install]
WantedBy=multi-user.target
