[Unit]
Description=Label ${node} as a control-plane Node (cluster ${cluster})
Documentation=https://kubernetes.io/docs/reference/labels-annotations-taints/#node-role-kubernetes-io-control-plane
# The kubelet may not set node-role.kubernetes.io/ labels on its own Node (NodeRestriction), so an administrator
# adds it once the kubelet has registered, as kubeadm's mark-control-plane phase does. It retries until the Node
# exists; the label is idempotent.
After=kubelet.service kube-apiserver.service
Wants=kubelet.service

[Service]
Type=oneshot
ExecStart=${kubectl} --kubeconfig=${kubeconfig} label node ${node} --overwrite ${label}=
Restart=on-failure
RestartSec=10

[Install]
WantedBy=multi-user.target
