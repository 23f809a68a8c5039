[Unit]
Description=Kubernetes controller manager (cluster ${cluster})
Documentation=https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/
After=network-online.target kube-apiserver.service
Wants=network-online.target

[Service]
# --allocate-node-cidrs=false: hardway gives every worker its podCidr itself, in that worker's CNI
# configuration (and the pod routes). The node IPAM controller would hand out subnets of --cluster-cidr in
# registration order instead, which need not match, and Node.spec.podCIDR would then name the wrong subnet.
# --leader-elect: with several controllers one controller manager works and the others stand by.
# --cluster-signing-*: the CSR signer issues certificates with the cluster CA.
ExecStart=${binary} \
  --allocate-node-cidrs=false \
  --authentication-kubeconfig=${paths.controllerManagerKubeconfig} \
  --authorization-kubeconfig=${paths.controllerManagerKubeconfig} \
  --bind-address=127.0.0.1 \
  --client-ca-file=${paths.caCert} \
  --cluster-cidr=${clusterCidr} \
  --cluster-name=${cluster} \
  --cluster-signing-cert-file=${paths.caCert} \
  --cluster-signing-key-file=${paths.caKey} \
  --kubeconfig=${paths.controllerManagerKubeconfig} \
  --leader-elect=true \
  --requestheader-client-ca-file=${paths.frontProxyCaCert} \
  --root-ca-file=${paths.caCert} \
  --service-account-private-key-file=${paths.saKey} \
  --service-cluster-ip-range=${serviceCidr} \
  --use-service-account-credentials=true \
  --v=${verbosity}<#list extraArgs as arg> \
  ${arg}</#list>
Restart=always
RestartSec=5

[Install]
WantedBy=multi-user.target
