#!/usr/bin/python3
"""A kubelet simulator for the node agent's device plugin tests: the kubelet's side of the device plugin API
v1beta1 and of the PodResources API v1, over unix sockets, with Debian's python3-grpcio (a different gRPC stack
than the plugin's Grpc.AspNetCore), loading the same .proto files as the agent.

Three modes:
  generate        write the Python modules of the .proto files to a directory (--generated then loads them).
  serve           JSON lines: commands on stdin, replies and events on stdout (driven by the xunit tests).
  allocate-once   act as a kubelet once: wait for a resource's registration and healthy devices, ask for a
                  preferred allocation, Allocate it, print the answer as JSON, exit (0 on success).

It plays the kubelet: a Registration server on <dir>/kubelet.sock; for each registered plugin a client that calls
GetDevicePluginOptions and follows ListAndWatch; Allocate and GetPreferredAllocation on demand; a restart (stop,
delete every socket in <dir>, serve kubelet.sock anew, as a restarting kubelet does); and a PodResourcesLister
server whose pods the test sets.
"""

import argparse
import importlib
import json
import os
import sys
import tempfile
import threading
import time
from concurrent import futures

import grpc
from google.protobuf import json_format

DEVICE_PLUGIN_PROTO = "deviceplugin/v1beta1/api.proto"
POD_RESOURCES_PROTO = "podresources/v1/api.proto"
API_VERSION = "v1beta1"


def generate(proto_root, out):
    """Generates the Python modules of the agent's .proto files into `out` (python3-grpc-tools)."""
    from grpc_tools import protoc

    for rel in (DEVICE_PLUGIN_PROTO, POD_RESOURCES_PROTO):
        code = protoc.main(["protoc", "-I" + proto_root, "--python_out=" + out, "--grpc_python_out=" + out,
                            os.path.join(proto_root, rel)])
        if code != 0:
            raise SystemExit("protoc failed for %s (exit %d)" % (rel, code))


def load_protos(proto_root, generated):
    """Imports the generated modules: from `generated` (made by the `generate` mode, e.g. on the e2e host, so the
    QEMU guest needs no grpc_tools), or generated now from `proto_root` into a temporary directory."""
    if generated is None:
        generated = tempfile.mkdtemp(prefix="kubelet-sim-")
        generate(proto_root, generated)
    sys.path.insert(0, generated)
    modules = {}
    for name in ("deviceplugin.v1beta1.api_pb2", "deviceplugin.v1beta1.api_pb2_grpc",
                 "podresources.v1.api_pb2", "podresources.v1.api_pb2_grpc"):
        modules[name] = importlib.import_module(name)
    return (modules["deviceplugin.v1beta1.api_pb2"], modules["deviceplugin.v1beta1.api_pb2_grpc"],
            modules["podresources.v1.api_pb2"], modules["podresources.v1.api_pb2_grpc"])


def to_dict(message):
    return json_format.MessageToDict(message, preserving_proto_field_name=True, including_default_value_fields=True)


class Output:
    """Serialises lines on stdout (replies and events come from several threads)."""

    def __init__(self):
        self._lock = threading.Lock()

    def write(self, obj):
        with self._lock:
            sys.stdout.write(json.dumps(obj, sort_keys=True) + "\n")
            sys.stdout.flush()


class Plugin:
    """The kubelet's client of one registered plugin endpoint."""

    def __init__(self, kubelet, request):
        self.kubelet = kubelet
        self.resource = request.resource_name
        self.endpoint = request.endpoint
        self.channel = grpc.insecure_channel("unix:" + os.path.join(kubelet.directory, request.endpoint))
        self.stub = kubelet.dp_grpc.DevicePluginStub(self.channel)
        self.devices = None
        self.stream = None
        self.thread = threading.Thread(target=self._follow, daemon=True)

    def start(self):
        self.thread.start()

    def _follow(self):
        dp = self.kubelet.dp
        try:
            options = self.stub.GetDevicePluginOptions(dp.Empty(), timeout=10)
            self.kubelet.emit({"event": "options", "resource": self.resource, "options": to_dict(options)})
            self.stream = self.stub.ListAndWatch(dp.Empty())
            for response in self.stream:
                self.devices = [{"id": d.ID, "health": d.health} for d in response.devices]
                self.kubelet.emit({"event": "devices", "resource": self.resource, "devices": self.devices})
            self.kubelet.emit({"event": "stream_ended", "resource": self.resource, "endpoint": self.endpoint})
        except grpc.RpcError as error:
            self.kubelet.emit({"event": "stream_ended", "resource": self.resource, "endpoint": self.endpoint,
                               "code": error.code().name, "details": error.details()})

    def stop(self):
        if self.stream is not None:
            self.stream.cancel()
        self.channel.close()


class Kubelet:
    def __init__(self, directory, pod_resources_socket, protos, output):
        self.directory = directory
        self.pod_resources_socket = pod_resources_socket
        self.dp, self.dp_grpc, self.pr, self.pr_grpc = protos
        self.output = output
        self.lock = threading.Lock()
        self.plugins = {}
        self.pods = []
        self.registration_server = None
        self.pod_resources_server = None

    def emit(self, event):
        if self.output is not None:
            self.output.write(event)

    # --- Registration (served on kubelet.sock) ---
    def start(self):
        os.makedirs(self.directory, exist_ok=True)
        kubelet = self

        class Registration(self.dp_grpc.RegistrationServicer):
            def Register(self, request, context):
                return kubelet.register(request, context)

        server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
        self.dp_grpc.add_RegistrationServicer_to_server(Registration(), server)
        server.add_insecure_port("unix:" + os.path.join(self.directory, "kubelet.sock"))
        server.start()
        self.registration_server = server
        if self.pod_resources_socket and self.pod_resources_server is None:
            self.start_pod_resources()
        self.emit({"event": "kubelet_started", "socket": os.path.join(self.directory, "kubelet.sock")})

    def register(self, request, context):
        if request.version != API_VERSION:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "unsupported device plugin version " + request.version)
        plugin = Plugin(self, request)
        with self.lock:
            old = self.plugins.get(request.resource_name)
            self.plugins[request.resource_name] = plugin
        if old is not None:
            old.stop()
        self.emit({"event": "registered", "resource": request.resource_name, "endpoint": request.endpoint,
                   "version": request.version, "options": to_dict(request.options)})
        # Like the kubelet, dial the plugin after answering the registration.
        plugin.start()
        return self.dp.Empty()

    def restart(self):
        """A restarting kubelet: stops, removes every socket in its directory, serves kubelet.sock again."""
        self.registration_server.stop(grace=None).wait()
        with self.lock:
            plugins = list(self.plugins.values())
            self.plugins.clear()
        for plugin in plugins:
            plugin.stop()
        for name in os.listdir(self.directory):
            path = os.path.join(self.directory, name)
            if not os.path.isdir(path):
                os.unlink(path)
        self.start()

    def plugin(self, resource):
        with self.lock:
            plugin = self.plugins.get(resource)
        if plugin is None:
            raise KeyError("no plugin registered for " + resource)
        return plugin

    # --- calls a kubelet makes at pod admission ---
    def allocate(self, resource, containers):
        request = self.dp.AllocateRequest(container_requests=[self.dp.ContainerAllocateRequest(devices_ids=ids) for ids in containers])
        return to_dict(self.plugin(resource).stub.Allocate(request, timeout=10))

    def preferred(self, resource, available, must, size):
        request = self.dp.PreferredAllocationRequest(container_requests=[self.dp.ContainerPreferredAllocationRequest(
            available_deviceIDs=available, must_include_deviceIDs=must, allocation_size=size)])
        response = self.plugin(resource).stub.GetPreferredAllocation(request, timeout=10)
        return list(response.container_responses[0].deviceIDs)

    # --- PodResourcesLister ---
    def start_pod_resources(self):
        kubelet = self

        class Lister(self.pr_grpc.PodResourcesListerServicer):
            def List(self, request, context):
                return kubelet.pr.ListPodResourcesResponse(pod_resources=kubelet.pod_messages())

            def Get(self, request, context):
                for pod in kubelet.pod_messages():
                    if pod.name == request.pod_name and pod.namespace == request.pod_namespace:
                        return kubelet.pr.GetPodResourcesResponse(pod_resources=pod)
                context.abort(grpc.StatusCode.NOT_FOUND, "pod %s/%s not found" % (request.pod_namespace, request.pod_name))

            def GetAllocatableResources(self, request, context):
                devices = []
                with kubelet.lock:
                    plugins = list(kubelet.plugins.values())
                for plugin in plugins:
                    healthy = [d["id"] for d in (plugin.devices or []) if d["health"] == "Healthy"]
                    devices.append(kubelet.pr.ContainerDevices(resource_name=plugin.resource, device_ids=healthy))
                return kubelet.pr.AllocatableResourcesResponse(devices=devices)

        os.makedirs(os.path.dirname(self.pod_resources_socket), exist_ok=True)
        server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        self.pr_grpc.add_PodResourcesListerServicer_to_server(Lister(), server)
        server.add_insecure_port("unix:" + self.pod_resources_socket)
        server.start()
        self.pod_resources_server = server

    def pod_messages(self):
        with self.lock:
            pods = list(self.pods)
        return [self.pr.PodResources(name=p["name"], namespace=p["namespace"], containers=[
            self.pr.ContainerResources(name=c["name"], devices=[
                self.pr.ContainerDevices(resource_name=d["resource_name"], device_ids=d["device_ids"]) for d in c.get("devices", [])])
            for c in p.get("containers", [])]) for p in pods]

    def set_pods(self, pods):
        with self.lock:
            self.pods = pods

    def stop(self):
        with self.lock:
            plugins = list(self.plugins.values())
        for plugin in plugins:
            plugin.stop()
        if self.registration_server is not None:
            self.registration_server.stop(grace=None)
        if self.pod_resources_server is not None:
            self.pod_resources_server.stop(grace=None)


def serve(kubelet, output):
    """Commands: {"id": n, "cmd": ...}; every command gets {"id": n, "ok": true|false, ...}."""
    kubelet.start()
    for line in sys.stdin:
        if not line.strip():
            continue
        command = json.loads(line)
        reply = {"id": command.get("id"), "ok": True}
        try:
            name = command["cmd"]
            if name == "allocate":
                reply["response"] = kubelet.allocate(command["resource"], command["containers"])
            elif name == "preferred":
                reply["ids"] = kubelet.preferred(command["resource"], command["available"], command.get("must", []), command["size"])
            elif name == "restart":
                kubelet.restart()
            elif name == "set_pods":
                kubelet.set_pods(command["pods"])
            elif name == "quit":
                output.write(reply)
                break
            else:
                raise KeyError("unknown command " + name)
        except grpc.RpcError as error:
            reply = {"id": command.get("id"), "ok": False, "code": error.code().name, "details": error.details()}
        except (KeyError, ValueError) as error:
            reply = {"id": command.get("id"), "ok": False, "code": "SIMULATOR", "details": str(error)}
        output.write(reply)
    kubelet.stop()


def allocation_lines(resource, response):
    """The first container's Allocate answer as the e2e VM reads it (tests/e2e/guest/vm.sh): `env NAME=VALUE` and
    `device CONTAINER_PATH` lines, what a container runtime hands the container (and virt-launcher reads)."""
    container = (response.get("container_responses") or [{}])[0]
    lines = ["# ContainerAllocateResponse for %s from the device plugin's Allocate (kubelet_sim.py allocate-once)" % resource]
    lines += ["env %s=%s" % (name, value) for name, value in sorted(container.get("envs", {}).items())]
    lines += ["device %s" % device["container_path"] for device in container.get("devices", [])]
    return "\n".join(lines) + "\n"


def allocate_once(kubelet, resource, count, timeout, allocation_file):
    """Waits for `resource` to register with `count` healthy devices, then GetPreferredAllocation + Allocate."""
    kubelet.start()
    deadline = time.monotonic() + timeout
    while True:
        try:
            plugin = kubelet.plugin(resource)
            healthy = [d["id"] for d in (plugin.devices or []) if d["health"] == "Healthy"]
            if len(healthy) >= count:
                break
        except KeyError:
            healthy = []
        if time.monotonic() > deadline:
            raise SystemExit("kubelet-sim: %s did not register %d healthy device(s) within %ds (healthy: %s)"
                             % (resource, count, timeout, healthy))
        time.sleep(0.1)
    ids = kubelet.preferred(resource, healthy, [], count)
    response = kubelet.allocate(resource, [ids])
    print(json.dumps({"resource": resource, "devices": ids, "response": response}, sort_keys=True, indent=2))
    if allocation_file:
        with open(allocation_file, "w") as out:
            out.write(allocation_lines(resource, response))
    kubelet.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", help="device plugin directory (kubelet.sock and the plugins' sockets)")
    parser.add_argument("--protos", help="root of the .proto files (deviceplugin/v1beta1, podresources/v1)")
    parser.add_argument("--generated", help="the Python modules the generate mode wrote (instead of --protos)")
    parser.add_argument("--pod-resources", default=None, help="PodResources socket to serve")
    sub = parser.add_subparsers(dest="mode", required=True)
    sub.add_parser("serve")
    gen = sub.add_parser("generate")
    gen.add_argument("--out", required=True, help="directory for the generated modules")
    once = sub.add_parser("allocate-once")
    once.add_argument("--resource", required=True)
    once.add_argument("--count", type=int, default=1)
    once.add_argument("--timeout", type=int, default=120)
    once.add_argument("--allocation-file", default=None, help="also write the answer as env/device lines (the e2e VM's input)")
    args = parser.parse_args()
    if (args.protos is None) == (args.generated is None):
        parser.error("give exactly one of --protos and --generated")
    if args.mode == "generate":
        if args.protos is None:
            parser.error("generate needs --protos")
        os.makedirs(args.out, exist_ok=True)
        generate(args.protos, args.out)
        return
    if args.dir is None:
        parser.error("--dir is required for " + args.mode)

    protos = load_protos(args.protos, args.generated)
    if args.mode == "serve":
        output = Output()
        serve(Kubelet(args.dir, args.pod_resources, protos, output), output)
    else:
        allocate_once(Kubelet(args.dir, args.pod_resources, protos, None), args.resource, args.count, args.timeout,
                       args.allocation_file)


if __name__ == "__main__":
    main()
