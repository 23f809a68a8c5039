[Unit]
Description=Masquerade traffic of node ${node}'s pods (${podCidr}) that leaves the cluster network ${clusterCidr}
Documentation=https://kubernetes.io/docs/tasks/administer-cluster/ip-masq-agent/
# The bridge plugin's own ipMasq exempts only this node's subnet, so it would also rewrite pod-to-pod traffic
# between nodes; Kubernetes' network model wants pods to see each other's real addresses. These are the rules
# ip-masq-agent writes (and kubenet made of --non-masquerade-cidr): a chain that returns for destinations in
# the cluster network and masquerades the rest, entered by this node's pods' traffic.
Before=containerd.service

[Service]
Type=oneshot
RemainAfterExit=yes
# remove an earlier copy first, so a restart never stacks the rules twice
ExecStartPre=-${iptables} -w -t nat -D POSTROUTING -s ${podCidr} -m comment --comment ${comment} -j ${chain}
ExecStartPre=-${iptables} -w -t nat -F ${chain}
ExecStartPre=-${iptables} -w -t nat -X ${chain}
ExecStart=${iptables} -w -t nat -N ${chain}
ExecStart=${iptables} -w -t nat -A ${chain} -d ${clusterCidr} -j RETURN
ExecStart=${iptables} -w -t nat -A ${chain} -j MASQUERADE
ExecStart=${iptables} -w -t nat -A POSTROUTING -s ${podCidr} -m comment --comment ${comment} -j ${chain}
ExecStop=-${iptables} -w -t nat -D POSTROUTING -s ${podCidr} -m comment --comment ${comment} -j ${chain}
ExecStop=-${iptables} -w -t nat -F ${chain}
ExecStop=-${iptables} -w -t nat -X ${chain}

[Install]
WantedBy=multi-user.target
