[Unit]
Description=Kubernetes controller manager (node ${node}, cluster ${cluster})
Documentation=https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/
After=network-online.target kube-apiserver.service
Wants=network-online.target

[Service]
# --allocate-node-cidrs=false: hardway gives every worker its podCidr itself, in that worker's CNI
# configuration (and the pod routes). The node IPAM controller would hand out subnets of --cluster-cidr in
# registration order instead, which need not match, and Node.spec.podCIDR would then name the wrong subnet.
ExecStart=${binary} \
<#list flags as f>
  ${f.argument()}<#sep> \</#sep>
</#list>
Restart=always
RestartSec=5

[Install]
WantedBy=multi-user.target
