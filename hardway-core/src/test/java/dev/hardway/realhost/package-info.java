/**
 * Real-host tests: the generated bundles installed with plain {@code ./install.sh} on booted Debian 12 systems.
 *
 * <h2>What runs</h2>
 * {@link dev.hardway.realhost.RealHostCluster} boots one systemd-nspawn container per node (systemd 252 as PID 1),
 * each in a network namespace this test creates, joined by veth pairs to a bridge in a hub namespace; nothing
 * touches the machine's network. The root filesystem is built by {@code scripts/realhost-rootfs.sh} with
 * mmdebstrap and cached under {@code /var/cache/hardway-realhost/<recipe hash>/}; every node mounts it as the
 * lower layer of its own overlay, whose upper layer stays on disk so that a reboot keeps the node's state.
 *
 * <h2>Real and stand-in</h2>
 * Real: systemd, etcd 3.5 and etcdctl (Debian 13), containerd 2.1 (Debian sid, config format 3) and 1.7 (Debian 13,
 * format 2), runc 1.1.5 and the CNI plugins (Debian 12), iptables, kubectl 1.32, the CRI API (a Python client
 * on stubs compiled from Debian's cri-api {@code api.proto}), a pause image built from Debian's static busybox.
 * <b>Stand-ins</b>: kubelet, kube-proxy, kube-apiserver, kube-controller-manager and kube-scheduler (no reachable
 * archive packages them) are scripts that record their arguments and stay running; modprobe succeeds only for
 * what the kernel has built in (a container cannot load modules).
 *
 * <h2>What this machine needs and a host does not</h2>
 * Facts found on the CI machine (kernel 6.18, cgroup v1 hybrid, PID 1 not systemd, no udev, no /lib/modules):
 * <ul>
 *   <li>{@code --register=no --keep-unit}: no systemd or machined on the host;</li>
 *   <li>{@code SYSTEMD_NSPAWN_API_VFS_WRITABLE=1}: {@code /proc/sys} writable, for install.sh's sysctls;</li>
 *   <li>{@code --capability=all} (CAP_NET_ADMIN for {@code ip route}) and {@code --system-call-filter=@keyring}
 *       (runc joins a session keyring);</li>
 *   <li>the cgroup v1 controller hierarchies are bound read-only into the container: remounted writable after
 *       boot, from outside;</li>
 *   <li>{@code /var/lib/containerd} on a real directory: overlay (snapshotter) on overlay (root) fails;</li>
 *   <li>CAP_SYS_RESOURCE is not in the machine's bounding set, so nothing may lower its oom_score_adj and runc fails
 *       ("can't get final child's PID from pipe"); containerd runs with {@code restrict_oom_score_adj} from a
 *       test-only file named by a test-only drop-in of containerd.service: for config format 3 it imports the
 *       generated configuration (containerd 2 merges imports deeply), for format 2 it is the generated file with
 *       that one line added (containerd 1.7 replaces a whole plugin section from an import);</li>
 *   <li>{@code --network-interface=} fails without udev ("not initialized yet"), hence
 *       {@code --network-namespace-path=}; node addresses carry the LAN's /24 so that pod route gateways are
 *       on-link;</li>
 *   <li>a container reboot makes systemd-nspawn exit 133; the test starts it again on the same disk.</li>
 * </ul>
 *
 * <h2>Classes</h2>
 * {@link dev.hardway.realhost.RealHostClusterTest} holds what the product does today and must stay green, as do
 * {@link dev.hardway.realhost.EtcdMembershipHostTest} (five more nodes of their own: etcd grown 3 → 5 → 3) and
 * {@link dev.hardway.realhost.StackedControlPlaneHostTest} (three more: a stacked control plane whose controllers
 * run containerd and pod sandboxes, no workers) and {@link dev.hardway.realhost.ExecutableReplacedByHandHostTest}
 * (an executable replaced by hand while install.sh has no record of it).
 * {@link dev.hardway.realhost.InstallerRobustnessHostTest}, {@link dev.hardway.realhost.PodSourceAddressHostTest} and
 * {@link dev.hardway.realhost.HostCorrectnessHostTest}
 * state behaviour issue 8 asks for and the product does not have yet: they fail until it does.
 */
package dev.hardway.realhost;
