[Unit]
Description=Kubernetes kube-proxy (cluster ${cluster})
Documentation=https://kubernetes.io/docs/reference/command-line-tools-reference/kube-proxy/
After=network-online.target
Wants=network-online.target

[Service]
ExecStart=${binary} \
  --config=${configFile}
Restart=always
RestartSec=5

[Install]
WantedBy=multi-user.target
