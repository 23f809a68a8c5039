[Unit]
Description=Kubernetes scheduler (cluster ${cluster})
Documentation=https://kubernetes.io/docs/reference/command-line-tools-reference/kube-scheduler/
After=network-online.target kube-apiserver.service
Wants=network-online.target

[Service]
# The client connection and leader election live in the configuration file; serving and delegated
# authentication stay flags.
ExecStart=${binary} \
  --authentication-kubeconfig=${paths.schedulerKubeconfig} \
  --authorization-kubeconfig=${paths.schedulerKubeconfig} \
  --bind-address=127.0.0.1 \
  --config=${paths.schedulerConfig} \
  --v=${verbosity}<#list extraArgs as arg> \
  ${arg}</#list>
Restart=always
RestartSec=5

[Install]
WantedBy=multi-user.target
