[Unit]
Description=Removes the etcd members cluster ${cluster} no longer lists, one at a time, keeping a quorum
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
