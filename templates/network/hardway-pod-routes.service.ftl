[Unit]
Description=Routes to the pod subnets of the other workers (node ${node}, cluster ${cluster})
Documentation=https://github.com/kelseyhightower/kubernetes-the-hard-way/blob/master/docs/11-pod-network-routes.md
# a gateway is only reachable once the interface holding the node's address is configured
After=network-online.target
Wants=network-online.target

[Service]
Type=oneshot
RemainAfterExit=yes
<#list routes as r>
ExecStart=${ip} route replace ${r.destination} via ${r.gateway}
</#list>
<#list routes as r>
ExecStop=-${ip} route del ${r.destination} via ${r.gateway}
</#list>

[Install]
WantedBy=multi-user.target
