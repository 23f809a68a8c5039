[Unit]
Description=Label ${node} as a control-plane Node (cluster ${cluster})
Documentation=https://kubernetes.io/docs/reference/labels-annotations-taints/#node-role-kubernetes-io-control-plane
# The kubelet may not set node-role.kubernetes.io/ labels on its own Node (NodeRestriction), so an administrator
# adds it once the kubelet has registered, as kubeadm's mark-control-plane phase does. It retries every 10 s until
# the Node exists and the admin credential's RBAC add-on is applied; the label is idempotent. Type=simple, so that
# starting it never waits for (or fails on) a cluster that is still coming up; RemainAfterExit keeps it active
# once it has labelled the Node, so install.sh does not run it again.
After=kubelet.service kube-apiserver.service
Wants=kubelet.service

[Service]
Type=simple
RemainAfterExit=yes
ExecStart=${kubectl} --kubeconfig=${kubeconfig} label node ${node} --overwrite ${label}=
Restart=on-failure
RestartSec=10

[Install]
WantedBy=multi-user.target
