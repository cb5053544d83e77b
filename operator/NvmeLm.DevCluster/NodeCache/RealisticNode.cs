using System.Globalization;
using k8s.Models;
using NvmeLm.Kube;

namespace NvmeLm.DevCluster.NodeCache;

/// <summary>
/// A Node as a kubelet on a cloud VM reports it, for measuring what a cache of Nodes costs: 16 labels, 6 annotations,
/// pod CIDRs and provider ID, 7 capacity/allocatable resources, 5 conditions, 3 addresses, the system info, and the image
/// list the kubelet publishes (up to <c>nodeStatusMaxImages</c>, 50 by default; each image with its digest and tag names).
/// managedFields are left out: the embedded API server does not record them (a real cache holds them in both forms).
/// </summary>
public static class RealisticNode
{
    public static V1Node Create(int index, int images)
    {
        string name = $"worker-{index:D4}";
        string zone = "zone-" + (char)('a' + (index % 3));
        var resources = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new("32"),
            ["memory"] = new("131833956Ki"),
            ["pods"] = new("110"),
            ["ephemeral-storage"] = new("507944172Ki"),
            ["hugepages-1Gi"] = new("0"),
            ["hugepages-2Mi"] = new("0"),
            ["nvmelm.io/migratable-vf"] = new("4"),
        };
        return new V1Node
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Labels = new Dictionary<string, string>
                {
                    ["beta.kubernetes.io/arch"] = "amd64",
                    ["beta.kubernetes.io/os"] = "linux",
                    ["beta.kubernetes.io/instance-type"] = "m6id.8xlarge",
                    ["kubernetes.io/arch"] = "amd64",
                    ["kubernetes.io/os"] = "linux",
                    [WellKnownLabels.Hostname] = name,
                    ["node.kubernetes.io/instance-type"] = "m6id.8xlarge",
                    ["topology.kubernetes.io/region"] = "region-1",
                    ["topology.kubernetes.io/zone"] = zone,
                    ["failure-domain.beta.kubernetes.io/region"] = "region-1",
                    ["failure-domain.beta.kubernetes.io/zone"] = zone,
                    ["node-role.kubernetes.io/worker"] = "",
                    ["nvmelm.io/pool"] = "default",
                    ["feature.node.kubernetes.io/pci-0108.sriov.capable"] = "true",
                    ["cluster.example.com/nodegroup"] = "storage-" + (index % 10).ToString(CultureInfo.InvariantCulture),
                    ["cluster.example.com/lifecycle"] = "on-demand",
                },
                Annotations = new Dictionary<string, string>
                {
                    ["node.alpha.kubernetes.io/ttl"] = "0",
                    ["volumes.kubernetes.io/controller-managed-attach-detach"] = "true",
                    ["kubeadm.alpha.kubernetes.io/cri-socket"] = "unix:///run/containerd/containerd.sock",
                    ["csi.volume.kubernetes.io/nodeid"] = $"{{\"ebs.csi.aws.com\":\"i-0{index:D16}\"}}",
                    ["alpha.kubernetes.io/provided-node-ip"] = Ip(index),
                    ["node.cluster.example.com/last-applied-config"] = "sha256:" + new string('c', 64),
                },
            },
            Spec = new V1NodeSpec { PodCIDR = $"10.{index / 256}.{index % 256}.0/24", PodCIDRs = [$"10.{index / 256}.{index % 256}.0/24"], ProviderID = $"aws:///{zone}/i-0{index:D16}" },
            Status = new V1NodeStatus
            {
                Capacity = resources,
                Allocatable = resources,
                Conditions =
                [
                    Condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                    Condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                    Condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                    Condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
                    Condition("NetworkUnavailable", "False", "RouteCreated", "RouteController created a route"),
                ],
                Addresses =
                [
                    new V1NodeAddress { Type = "InternalIP", Address = Ip(index) },
                    new V1NodeAddress { Type = "Hostname", Address = name },
                    new V1NodeAddress { Type = "InternalDNS", Address = name + ".region-1.compute.internal" },
                ],
                DaemonEndpoints = new V1NodeDaemonEndpoints { KubeletEndpoint = new V1DaemonEndpoint { Port = 10250 } },
                NodeInfo = new V1NodeSystemInfo
                {
                    MachineID = new string('a', 32),
                    SystemUUID = "ec2" + new string('b', 29),
                    BootID = Guid.NewGuid().ToString(),
                    KernelVersion = "6.1.0-28-cloud-amd64",
                    OsImage = "Debian GNU/Linux 12 (bookworm)",
                    ContainerRuntimeVersion = "containerd://1.7.24",
                    KubeletVersion = "v1.35.0",
                    KubeProxyVersion = "v1.35.0",
                    OperatingSystem = "linux",
                    Architecture = "amd64",
                },
                Images = Enumerable.Range(0, images).Select(Image).ToList(),
            },
        };
    }

    private static V1NodeCondition Condition(string type, string status, string reason, string message) => new()
    {
        Type = type,
        Status = status,
        Reason = reason,
        Message = message,
        LastHeartbeatTime = DateTime.UtcNow,
        LastTransitionTime = DateTime.UtcNow.AddDays(-3),
    };

    private static V1ContainerImage Image(int i)
    {
        string repository = $"registry.example.com/team-{i % 7}/service-{i}";
        string digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i)));
        return new V1ContainerImage { Names = [$"{repository}@sha256:{digest}", $"{repository}:v1.{i}.0"], SizeBytes = 50_000_000L + (i * 1_000_003L) };
    }

    private static string Ip(int index) => $"10.20.{index / 256}.{index % 256}";
}
