using System.Text.Json.Nodes;
using k8s.Models;
using NvmeLm.ApiServer.Resources;
using static NvmeLm.ApiServer.Builtins.BuiltinColumns;
using static NvmeLm.ApiServer.Tables.DelegateTableConvertor;

namespace NvmeLm.ApiServer.Builtins;

/// <summary>
/// apps/v1 Deployment and DaemonSet and policy/v1 PodDisruptionBudget: stored and served with their
/// status subresources and kube's columns. No controller runs them (no ReplicaSets or pods are made).
/// </summary>
internal static class WorkloadResources
{
    public static IEnumerable<ResourceType> Create()
    {
        yield return new ResourceType
        {
            Group = "apps", Version = "v1", Plural = "deployments", Singular = "deployment", Kind = "Deployment", Model = typeof(V1Deployment),
            Namespaced = true, ShortNames = ["deploy"], Categories = ["all"], HasStatusSubresource = true,
            Storage = new StorageKey("apps", "deployments"),
            Table = new Tables.DelegateTableConvertor(
            [
                Column("Ready", "Number of the pod with ready state", o => $"{Int(o["status"]?["readyReplicas"])}/{Int(o["spec"]?["replicas"] ?? 1)}"),
                Integer("Up-to-date", "Total number of non-terminating pods targeted by this deployment that have the desired template spec.", o => Int(o["status"]?["updatedReplicas"])),
                Integer("Available", "Total number of available non-terminating pods (ready for at least minReadySeconds) targeted by this deployment.", o => Int(o["status"]?["availableReplicas"])),
                Age,
                .. TemplateContainers(),
                Column("Selector", "Label selector for pods.", o => Selector(o["spec"]?["selector"]), priority: 1),
            ]),
        };
        yield return new ResourceType
        {
            Group = "apps", Version = "v1", Plural = "daemonsets", Singular = "daemonset", Kind = "DaemonSet", Model = typeof(V1DaemonSet),
            Namespaced = true, ShortNames = ["ds"], Categories = ["all"], HasStatusSubresource = true,
            Storage = new StorageKey("apps", "daemonsets"),
            Table = new Tables.DelegateTableConvertor(
            [
                Integer("Desired", "The total number of nodes that should be running the daemon pod.", o => Int(o["status"]?["desiredNumberScheduled"])),
                Integer("Current", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.", o => Int(o["status"]?["currentNumberScheduled"])),
                Integer("Ready", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.", o => Int(o["status"]?["numberReady"])),
                Integer("Up-to-date", "The total number of nodes that are running updated daemon pod", o => Int(o["status"]?["updatedNumberScheduled"])),
                Integer("Available", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.", o => Int(o["status"]?["numberAvailable"])),
                Column("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node.", o => Labels(o["spec"]?["template"]?["spec"]?["nodeSelector"])),
                Age,
                .. TemplateContainers(),
                Column("Selector", "A label query over pods that are managed by the daemon set.", o => Selector(o["spec"]?["selector"]), priority: 1),
            ]),
        };
        yield return new ResourceType
        {
            Group = "policy", Version = "v1", Plural = "poddisruptionbudgets", Singular = "poddisruptionbudget", Kind = "PodDisruptionBudget", Model = typeof(V1PodDisruptionBudget),
            Namespaced = true, ShortNames = ["pdb"], HasStatusSubresource = true,
            Storage = new StorageKey("policy", "poddisruptionbudgets"),
            Table = new Tables.DelegateTableConvertor(
                Column("Min Available", "The minimum number of pods that must be available simultaneously.", o => IntOrStringOrNa(o["spec"]?["minAvailable"])),
                Column("Max Unavailable", "The maximum number of pods that may be unavailable simultaneously.", o => IntOrStringOrNa(o["spec"]?["maxUnavailable"])),
                Integer("Allowed Disruptions", "Calculation of current disruptions allowed.", o => Int(o["status"]?["disruptionsAllowed"])),
                Age),
        };
    }

    private static JsonNode IntOrStringOrNa(JsonNode? value) => value is null ? "N/A" : Text(value);
}
