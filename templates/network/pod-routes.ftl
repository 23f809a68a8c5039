# Routes to every Node's pod subnet, workers' and stacked controllers' (cluster ${cluster}),
# applied by ${apply}.
# The same table on every node: a node skips the routes whose gateway is its own address.
# pod subnet           gateway              node
<#list routes as r>
${r.destination?right_pad(20)} ${r.gateway?right_pad(20)} ${r.node}
</#list>
