[Unit]
Description=etcd member ${node} of cluster ${cluster} (${members} members)
Documentation=https://etcd.io/docs/
After=network-online.target
Wants=network-online.target

[Service]
# Kubernetes ${kubernetesMinor} is released with etcd ${etcdVersion}; these flags hold for etcd 3.5 and 3.6.
# Type=exec rather than notify: etcd reports ready only once a quorum of members runs, so with notify
# "systemctl start etcd" on the first controller would wait until another controller is installed.
Type=exec
ExecStart=${binary} \
<#list flags as f>
  ${f.argument()}<#sep> \</#sep>
</#list>
Restart=always
RestartSec=5
LimitNOFILE=40000

[Install]
WantedBy=multi-user.target
