[Unit]
Description=etcd member ${node} of cluster ${cluster}
Documentation=https://etcd.io/docs/
After=network-online.target
Wants=network-online.target

[Service]
# Kubernetes ${kubernetesMinor} is released with etcd ${etcdVersion} (kubeadm's pairing); the flags are those kubeadm
# sets for that etcd minor. The initial corruption check refuses to serve a member whose data disagrees with
# the others' (etcd 3.5: --experimental-initial-corrupt-check, 3.6: the InitialCorruptCheck feature gate).
# Metrics and health (/metrics, /health) on plain HTTP, loopback only: what kubeadm's probes use.
# Type=exec rather than notify: etcd reports ready only once a quorum of members runs, so with notify
# "systemctl start etcd" on the first controller would wait until another controller is installed.
# The member listens on the controller's address only: kube-apiserver and the other members reach it there, and a
# loopback listener would be a second door nothing uses.
# How the member starts with an empty data directory is decided at start, not written here, so that adding or
# removing a controller leaves this unit and the running member alone. The ExecStartPre script, as kubeadm join
# does, joins the running cluster (member add through a member that answers, then "existing") or, when no other
# member answers, bootstraps with every member of ${membersFile} ("new"); it writes ETCD_INITIAL_CLUSTER and
# ETCD_INITIAL_CLUSTER_STATE to ${envFile}. With data in the directory, etcd ignores both.
# Clients and peers alike must present a certificate of the etcd CA (client-cert-auth on both).
Type=exec
RuntimeDirectory=etcd
ExecStartPre=${membership} bootstrap ${node} ${envFile}
EnvironmentFile=-${envFile}
ExecStart=${binary} \
  --name=${node} \
  --data-dir=${paths.etcdDataDir} \
  --listen-client-urls=${clientUrl} \
  --advertise-client-urls=${clientUrl} \
  --listen-peer-urls=${peerUrl} \
  --initial-advertise-peer-urls=${peerUrl} \
  --initial-cluster-token=${initialClusterToken} \
  --cert-file=${paths.etcdServerCert} \
  --key-file=${paths.etcdServerKey} \
  --trusted-ca-file=${paths.etcdCaCert} \
  --client-cert-auth=true \
  --peer-cert-file=${paths.etcdPeerCert} \
  --peer-key-file=${paths.etcdPeerKey} \
  --peer-trusted-ca-file=${paths.etcdCaCert} \
  --peer-client-cert-auth=true \
  --listen-metrics-urls=http://127.0.0.1:2381 \
  --snapshot-count=10000 \
<#if etcdFeatureGates>
  --feature-gates=InitialCorruptCheck=true \
  --watch-progress-notify-interval=5s
<#else>
  --experimental-initial-corrupt-check=true \
  --experimental-watch-progress-notify-interval=5s
</#if>
Restart=always
RestartSec=5
LimitNOFILE=40000

[Install]
WantedBy=multi-user.target
