[Unit]
Description=Routes to the pod subnets of the other Nodes (cluster ${cluster})
Documentation=https://github.com/kelseyhightower/kubernetes-the-hard-way/blob/master/docs/11-pod-network-routes.md
# a gateway is only reachable once the interface holding the node's address is configured
After=network-online.target
Wants=network-online.target

[Service]
Type=oneshot
RemainAfterExit=yes
# adds or replaces every route of ${table} and removes hardway's routes that are no longer in it
ExecStart=${apply} apply ${table}
# a restart (install.sh installing a changed table) keeps the routes, so the apply that follows replaces them
# without a gap; they go only once the table is gone (by hand: the ExecStart line with "flush" for "apply")
ExecStop=${apply} stop ${table}

[Install]
WantedBy=multi-user.target
