[Unit]
Description=Kubernetes kube-proxy (cluster ${cluster})
Documentation=https://kubernetes.io/docs/reference/command-line-tools-reference/kube-proxy/
After=network-online.target
Wants=network-online.target

[Service]
<#if modules?has_content>
# the ${mode} proxier needs these kernel modules loaded before it starts
ExecStartPre=${modprobe} -a<#list modules as m> ${m}</#list>
</#if>
ExecStart=${binary} \
  --config=${configFile}<#list extraArgs as arg> \
  ${arg}</#list>
Restart=always
RestartSec=5

[Install]
WantedBy=multi-user.target
