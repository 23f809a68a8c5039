# The etcd members cluster ${cluster} is meant to have: every controller, read by ${script}.
# With an empty data directory a member bootstraps with all of them (no cluster answers) or joins the running
# cluster (member add); hardway-etcd-members.service removes the members that are no longer listed here.
# Changing this file restarts no etcd: an existing member keeps its membership in its data directory.
# name                 peer URL                         client URL
<#list members as m>
${m.name?right_pad(20)} ${m.peerUrl?right_pad(32)} ${m.clientUrl}
</#list>
