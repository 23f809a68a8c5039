[Unit]
Description=etcd member ${node} of cluster ${cluster} (${members} members)
Documentation=https://etcd.io/docs/
After=network-online.target
Wants=network-online.target

[Service]
# Kubernetes ${kubernetesMinor} is released with etcd ${etcdVersion}; these flags hold for etcd 3.5 and 3.6.
# Type=exec rather than notify: etcd reports ready only once a quorum of members runs, so with notify
# "systemctl start etcd" on the first controller would wait until another controller is installed.
# The member listens on the controller's address only: kube-apiserver reaches every member there, and a
# loopback listener would be a second door nothing uses.
# --initial-cluster* are read only while the data directory is empty; a restarted member keeps its membership.
# Clients and peers alike must present a certificate of the etcd CA (client-cert-auth on both).
Type=exec
ExecStart=${binary} \
  --name=${node} \
  --data-dir=${paths.etcdDataDir} \
  --listen-client-urls=${clientUrl} \
  --advertise-client-urls=${clientUrl} \
  --listen-peer-urls=${peerUrl} \
  --initial-advertise-peer-urls=${peerUrl} \
  --initial-cluster=${initialCluster} \
  --initial-cluster-state=new \
  --initial-cluster-token=${initialClusterToken} \
  --cert-file=${paths.etcdServerCert} \
  --key-file=${paths.etcdServerKey} \
  --trusted-ca-file=${paths.etcdCaCert} \
  --client-cert-auth=true \
  --peer-cert-file=${paths.etcdPeerCert} \
  --peer-key-file=${paths.etcdPeerKey} \
  --peer-trusted-ca-file=${paths.etcdCaCert} \
  --peer-client-cert-auth=true
Restart=always
RestartSec=5
LimitNOFILE=40000

[Install]
WantedBy=multi-user.target
