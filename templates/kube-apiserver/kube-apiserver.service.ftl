[Unit]
Description=Kubernetes API server (node ${node}, cluster ${cluster})
Documentation=https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
After=network-online.target etcd.service
Wants=network-online.target

[Service]
ExecStart=${binary} \
<#list flags as f>
  ${f.argument()}<#sep> \</#sep>
</#list>
Restart=always
RestartSec=5

[Install]
WantedBy=multi-user.target
