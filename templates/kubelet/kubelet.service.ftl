[Unit]
Description=Kubernetes kubelet (cluster ${cluster})
Documentation=https://kubernetes.io/docs/reference/command-line-tools-reference/kubelet/
After=containerd.service
Requires=containerd.service

[Service]
# a kubelet newer than the API server it points at never starts (the version skew policy)
ExecStartPre=${versionCheck}
ExecStart=${binary} \
  --config=${configFile} \
  --kubeconfig=${kubeconfigFile} \
  --hostname-override=${node} \
  --node-ip=${nodeIp} \
<#if nodeLabels?has_content>
  --node-labels=${nodeLabels} \
</#if>
  --v=${verbosity}<#list extraArgs as arg> \
  ${arg}</#list>
Restart=always
RestartSec=5

[Install]
WantedBy=multi-user.target
