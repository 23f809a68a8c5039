[Unit]
Description=Kubernetes scheduler (node ${node}, cluster ${cluster})
Documentation=https://kubernetes.io/docs/reference/command-line-tools-reference/kube-scheduler/
After=network-online.target kube-apiserver.service
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
