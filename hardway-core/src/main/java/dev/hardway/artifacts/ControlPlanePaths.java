package dev.hardway.artifacts;

/**
 * Where the control plane lives on a controller. The layout is kubeadm's ({@code /etc/kubernetes/pki}, with etcd's
 * trust domain under {@code pki/etcd}), so that operators find files where the Kubernetes documentation says.
 */
public final class ControlPlanePaths {
    private ControlPlanePaths() {
    }

    public static final String KUBERNETES_DIR = "/etc/kubernetes";
    public static final String PKI_DIR = KUBERNETES_DIR + "/pki";
    public static final String ETCD_PKI_DIR = PKI_DIR + "/etcd";
    public static final String ADDONS_DIR = KUBERNETES_DIR + "/addons";

    /** etcd refuses to share its data with other users: 0700, as etcd itself creates it. */
    public static final String ETCD_DATA_DIR = "/var/lib/etcd";
    /** The audit log records who did what; only root reads it. */
    public static final String AUDIT_LOG_DIR = "/var/log/kubernetes";

    public static final String CA_CERT = PKI_DIR + "/ca.crt";
    public static final String CA_KEY = PKI_DIR + "/ca.key";
    public static final String APISERVER_CERT = PKI_DIR + "/apiserver.crt";
    public static final String APISERVER_KEY = PKI_DIR + "/apiserver.key";
    public static final String APISERVER_KUBELET_CLIENT_CERT = PKI_DIR + "/apiserver-kubelet-client.crt";
    public static final String APISERVER_KUBELET_CLIENT_KEY = PKI_DIR + "/apiserver-kubelet-client.key";
    public static final String APISERVER_ETCD_CLIENT_CERT = PKI_DIR + "/apiserver-etcd-client.crt";
    public static final String APISERVER_ETCD_CLIENT_KEY = PKI_DIR + "/apiserver-etcd-client.key";
    public static final String FRONT_PROXY_CA_CERT = PKI_DIR + "/front-proxy-ca.crt";
    public static final String FRONT_PROXY_CLIENT_CERT = PKI_DIR + "/front-proxy-client.crt";
    public static final String FRONT_PROXY_CLIENT_KEY = PKI_DIR + "/front-proxy-client.key";
    public static final String SA_KEY = PKI_DIR + "/sa.key";
    public static final String SA_PUB = PKI_DIR + "/sa.pub";

    public static final String ETCD_CA_CERT = ETCD_PKI_DIR + "/ca.crt";
    public static final String ETCD_SERVER_CERT = ETCD_PKI_DIR + "/server.crt";
    public static final String ETCD_SERVER_KEY = ETCD_PKI_DIR + "/server.key";
    public static final String ETCD_PEER_CERT = ETCD_PKI_DIR + "/peer.crt";
    public static final String ETCD_PEER_KEY = ETCD_PKI_DIR + "/peer.key";

    public static final String ENCRYPTION_CONFIG = KUBERNETES_DIR + "/encryption-config.yaml";
    public static final String AUDIT_POLICY = KUBERNETES_DIR + "/audit-policy.yaml";
    public static final String AUDIT_LOG = AUDIT_LOG_DIR + "/audit.log";
    public static final String CONTROLLER_MANAGER_KUBECONFIG = KUBERNETES_DIR + "/kube-controller-manager.kubeconfig";
    public static final String SCHEDULER_KUBECONFIG = KUBERNETES_DIR + "/kube-scheduler.kubeconfig";
    public static final String SCHEDULER_CONFIG = KUBERNETES_DIR + "/kube-scheduler.yaml";
    /** Only on the first controller, which applies the add-ons. */
    public static final String ADMIN_KUBECONFIG = KUBERNETES_DIR + "/admin.kubeconfig";
    /** The break-glass system:masters kubeconfig, on the first controller only (kubeadm's super-admin.conf). */
    public static final String SUPER_ADMIN_KUBECONFIG = KUBERNETES_DIR + "/super-admin.kubeconfig";

    /** kube-apiserver's secure port on every controller, whatever port the endpoint (a load balancer) uses. */
    public static final int APISERVER_PORT = 6443;
    public static final int ETCD_CLIENT_PORT = 2379;
    public static final int ETCD_PEER_PORT = 2380;

    /** The paths the unit templates name, as {@code paths.<name>}. */
    static java.util.Map<String, String> asModel() {
        java.util.Map<String, String> m = new java.util.TreeMap<>();
        m.put("etcdDataDir", ETCD_DATA_DIR);
        m.put("etcdCaCert", ETCD_CA_CERT);
        m.put("etcdServerCert", ETCD_SERVER_CERT);
        m.put("etcdServerKey", ETCD_SERVER_KEY);
        m.put("etcdPeerCert", ETCD_PEER_CERT);
        m.put("etcdPeerKey", ETCD_PEER_KEY);
        m.put("caCert", CA_CERT);
        m.put("caKey", CA_KEY);
        m.put("apiserverCert", APISERVER_CERT);
        m.put("apiserverKey", APISERVER_KEY);
        m.put("apiserverEtcdClientCert", APISERVER_ETCD_CLIENT_CERT);
        m.put("apiserverEtcdClientKey", APISERVER_ETCD_CLIENT_KEY);
        m.put("apiserverKubeletClientCert", APISERVER_KUBELET_CLIENT_CERT);
        m.put("apiserverKubeletClientKey", APISERVER_KUBELET_CLIENT_KEY);
        m.put("frontProxyCaCert", FRONT_PROXY_CA_CERT);
        m.put("frontProxyClientCert", FRONT_PROXY_CLIENT_CERT);
        m.put("frontProxyClientKey", FRONT_PROXY_CLIENT_KEY);
        m.put("saKey", SA_KEY);
        m.put("saPub", SA_PUB);
        m.put("encryptionConfig", ENCRYPTION_CONFIG);
        m.put("auditPolicy", AUDIT_POLICY);
        m.put("auditLog", AUDIT_LOG);
        m.put("controllerManagerKubeconfig", CONTROLLER_MANAGER_KUBECONFIG);
        m.put("schedulerKubeconfig", SCHEDULER_KUBECONFIG);
        m.put("schedulerConfig", SCHEDULER_CONFIG);
        return m;
    }
}
