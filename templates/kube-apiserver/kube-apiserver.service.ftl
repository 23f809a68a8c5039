[Unit]
Description=Kubernetes API server (cluster ${cluster})
Documentation=https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
After=network-online.target etcd.service
Wants=network-online.target

[Service]
# --etcd-servers: this controller's own etcd member only, as kubeadm's stacked control plane does: adding or
#   removing a controller then leaves this unit as it is, and the API server is up exactly where its member is.
# --enable-admission-plugins: the default-on plugins stay on; NodeRestriction is the one that is off by default.
# --enable-aggregator-routing: controllers run no kube-proxy, so webhooks and aggregated APIs are reached at
#   their endpoint (pod) addresses, which the pod routes make reachable, not at service addresses.
# --kubelet-preferred-address-types: kubelet certificates name the node's internalIp; node names need not
#   resolve anywhere.
# --service-account-issuer: kubeadm's default, independent of the endpoint, so issued tokens survive a change
#   of apiServer.endpoint.
# --service-cluster-ip-range is always the cluster's serviceCidr: its first address, ${kubernetesServiceIp},
#   is the kubernetes service, and the serving certificate names it.
ExecStart=${binary} \
  --advertise-address=${advertiseAddress} \
  --allow-privileged=true \
  --audit-log-maxage=30 \
  --audit-log-maxbackup=10 \
  --audit-log-maxsize=100 \
  --audit-log-path=${paths.auditLog} \
  --audit-policy-file=${paths.auditPolicy} \
  --authorization-mode=Node,RBAC \
  --bind-address=0.0.0.0 \
  --client-ca-file=${paths.caCert} \
  --enable-admission-plugins=NodeRestriction \
  --enable-aggregator-routing=true \
  --encryption-provider-config=${paths.encryptionConfig} \
  --etcd-cafile=${paths.etcdCaCert} \
  --etcd-certfile=${paths.apiserverEtcdClientCert} \
  --etcd-keyfile=${paths.apiserverEtcdClientKey} \
  --etcd-servers=${etcdServers} \
  --kubelet-certificate-authority=${paths.caCert} \
  --kubelet-client-certificate=${paths.apiserverKubeletClientCert} \
  --kubelet-client-key=${paths.apiserverKubeletClientKey} \
  --kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname \
  --proxy-client-cert-file=${paths.frontProxyClientCert} \
  --proxy-client-key-file=${paths.frontProxyClientKey} \
  --requestheader-allowed-names=${frontProxyClientName} \
  --requestheader-client-ca-file=${paths.frontProxyCaCert} \
  --requestheader-extra-headers-prefix=X-Remote-Extra- \
  --requestheader-group-headers=X-Remote-Group \
  --requestheader-username-headers=X-Remote-User \
  --secure-port=${securePort} \
  --service-account-issuer=${serviceAccountIssuer} \
  --service-account-key-file=${paths.saPub} \
  --service-account-signing-key-file=${paths.saKey} \
  --service-cluster-ip-range=${serviceCidr} \
  --tls-cert-file=${paths.apiserverCert} \
  --tls-private-key-file=${paths.apiserverKey} \
  --v=${verbosity}<#list extraArgs as arg> \
  ${arg}</#list>
Restart=always
RestartSec=5

[Install]
WantedBy=multi-user.target
