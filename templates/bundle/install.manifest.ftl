# hardway ${role} of cluster ${cluster}, Kubernetes ${kubernetesVersion}: what install.sh installs and checks on
# this host. install.sh reads this file as shell once its checksum matches SHA256SUMS: one setting or add_* line
# each, every value quoted for the shell. It names no node: nodes that receive the same files share one text.
ARCH=${arch}
KUBERNETES_MINOR=${kubernetesMinor}
PENDING_FILE=${pendingFile}
BINARIES_RECORD=${binariesRecord}

# Upstream executables for linux/${arch}: target, file in --binaries DIR, version, URL, archive member ("-": the
# download is the executable), pinned sha256 ("-": none), the service whose main process runs it ("-": none),
# services restarted when it changes (installed by --binaries, or replaced by hand since the last run:
# BINARIES_RECORD holds their sha256 as that run left them).
<#list upstream as b>
add_binary ${b.target} ${b.file} ${b.version} ${b.url} ${b.inside} ${b.sha256} ${b.mainOf}<#list b.services as s> ${s}</#list>
</#list>

# Directories, outermost first: path, mode, whether an existing one is set to that mode.
<#list directories as d>
add_dir ${d.path} ${d.mode} ${d.enforce}
</#list>

# Files: in the bundle, on the host, mode, how a dry run shows it (text, kubeconfig, secret), services restarted.
<#list files as f>
add_file ${f.source} ${f.target} ${f.mode} ${f.kind}<#list f.services as s> ${s}</#list>
</#list>

# The services in start order, the executables their units run, the commands the components call, the kernel
# modules and the sysctl file they need.
SERVICES=(<#list services as s>${s}<#sep> </#sep></#list>)
BINARIES=(<#list binaries as b>${b}<#sep> </#sep></#list>)
HOST_TOOLS=(<#list hostTools as t>${t}<#sep> </#sep></#list>)
MODULES=(<#list modules as m>${m}<#sep> </#sep></#list>)
SYSCTL_FILE=${sysctlFile}

# Versions the executables must report: binary, version, why.
<#list versionChecks as v>
check_version ${v.binary} ${v.want} ${v.why}
</#list>
<#if cgroupV2 != "none">
# kubelet ${kubernetesMinor} <#if cgroupV2 == "required">refuses to start on cgroup v1 (failCgroupV1 defaults to true since 1.35)<#else>still starts on cgroup v1, which is deprecated; 1.35 refuses it</#if>.
CGROUP_V2=${cgroupV2}
</#if>
<#if hostsEntry??>
# The API endpoint's name, kept in a marked block of /etc/hosts (apiServer.address in cluster.yaml).
HOSTS_NAME=${hostsEntry.name}
HOSTS_BEGIN=${hostsEntry.begin}
HOSTS_END=${hostsEntry.end}
HOSTS_LINE=${hostsEntry.line}
<#elseif resolveEndpoint??>
# The API endpoint's name must resolve on this host.
RESOLVE_ENDPOINT=${resolveEndpoint}
</#if>
<#if resolvConf.auto>
# The kubelet's resolvConf is chosen per host: systemd-resolved's upstream list where it runs.
RESOLV_CONF_AUTO=1
KUBELET_CONFIG=${resolvConf.file}
RESOLVED_RESOLV_CONF=${resolvConf.resolved}
</#if>
<#if retired?has_content>
# Files of earlier hardway versions, removed where found: CNI files (containerd would load the first of them),
# boot symlinks of units that must not start at boot any more.
RETIRED=(<#list retired as r>${r}<#sep> </#sep></#list>)
</#if>
<#if addons>
# The cluster add-ons this node applies once its API server answers: kubectl, kubeconfig, manifests, and how
# long it waits (attempts of so many seconds).
ADDONS=1
ADDONS_KUBECTL=${addonsKubectl}
ADDONS_KUBECONFIG=${addonsKubeconfig}
ADDONS_MANIFESTS=(<#list addonsManifests as m>${m}<#sep> </#sep></#list>)
ADDONS_ATTEMPTS=${addonsAttempts}
ADDONS_INTERVAL_SECONDS=${addonsIntervalSeconds}
</#if>
