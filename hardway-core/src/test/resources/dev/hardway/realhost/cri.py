#!/usr/bin/env python3
"""A small CRI client for the real-host tests: the pod-sandbox calls the kubelet makes, through containerd's CRI
socket, with stubs compiled from the CRI API's api.proto (Debian's golang-github-kubernetes-cri-api-dev).

  cri.py SOCKET version | status | pods
  cri.py SOCKET status-info KEY              prints one entry of the verbose status (config, cniconfig, ...)
  cri.py SOCKET runp NAME NAMESPACE UID      prints the new sandbox's id
  cri.py SOCKET inspectp ID                  prints {"state", "ip", "pid", "netns"} as JSON
  cri.py SOCKET stopp ID | rmp ID
"""
import json
import sys

sys.path.insert(0, "/opt/hardway-realhost/cri")
import grpc  # noqa: E402
import api_pb2  # noqa: E402
import api_pb2_grpc  # noqa: E402
from google.protobuf import json_format  # noqa: E402


def main(argv):
    socket, command, args = argv[1], argv[2], argv[3:]
    channel = grpc.insecure_channel("unix://" + socket)
    grpc.channel_ready_future(channel).result(timeout=20)
    rt = api_pb2_grpc.RuntimeServiceStub(channel)
    timeout = 60
    if command == "version":
        print(json_format.MessageToJson(rt.Version(api_pb2.VersionRequest(), timeout=timeout)))
    elif command == "status":
        print(json_format.MessageToJson(rt.Status(api_pb2.StatusRequest(verbose=False), timeout=timeout)))
    elif command == "status-info":
        reply = rt.Status(api_pb2.StatusRequest(verbose=True), timeout=timeout)
        print(reply.info.get(args[0], ""))
    elif command == "pods":
        print(json_format.MessageToJson(rt.ListPodSandbox(api_pb2.ListPodSandboxRequest(), timeout=timeout)))
    elif command == "runp":
        name, namespace, uid = args
        config = api_pb2.PodSandboxConfig(
            metadata=api_pb2.PodSandboxMetadata(name=name, namespace=namespace, uid=uid, attempt=0),
            hostname=name,
            log_directory="/var/log/pods/%s_%s_%s" % (namespace, name, uid),
            linux=api_pb2.LinuxPodSandboxConfig(
                cgroup_parent="kubepods-besteffort-pod%s.slice" % uid.replace("-", "_")))
        reply = rt.RunPodSandbox(api_pb2.RunPodSandboxRequest(config=config), timeout=timeout)
        print(reply.pod_sandbox_id)
    elif command == "inspectp":
        reply = rt.PodSandboxStatus(api_pb2.PodSandboxStatusRequest(pod_sandbox_id=args[0], verbose=True),
                                    timeout=timeout)
        info = json.loads(reply.info.get("info", "{}"))
        netns = ""
        for ns in info.get("runtimeSpec", {}).get("linux", {}).get("namespaces", []):
            if ns.get("type") == "network":
                netns = ns.get("path", "")
        print(json.dumps({
            "state": api_pb2.PodSandboxState.Name(reply.status.state),
            "ip": reply.status.network.ip,
            "pid": info.get("pid", 0),
            "netns": netns,
        }))
    elif command == "stopp":
        rt.StopPodSandbox(api_pb2.StopPodSandboxRequest(pod_sandbox_id=args[0]), timeout=timeout)
    elif command == "rmp":
        rt.RemovePodSandbox(api_pb2.RemovePodSandboxRequest(pod_sandbox_id=args[0]), timeout=timeout)
    else:
        print("unknown command " + command, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
