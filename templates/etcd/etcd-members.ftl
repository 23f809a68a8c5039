# The etcd members cluster ${cluster} is meant to have: every controller, read by ${script}.
# With an empty data directory a member bootstraps with all of them (no cluster answers) or joins the running
# cluster (member add); hardway-etcd-members.service matches the members to this list by name: it removes those
# no longer listed and moves a listed one to its new peer URL here (member update).
# Changing this file restarts no etcd: an existing member keeps its membership in its data directory.
# name                 peer URL                         client URL
<#list members as m>
${m.name?right_pad(20)} ${m.peerUrl?right_pad(32)} ${m.clientUrl}
</#list>
