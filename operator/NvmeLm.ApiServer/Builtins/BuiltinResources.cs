using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Resources;
using NvmeLm.ApiServer.Tables;
using static NvmeLm.ApiServer.Tables.DelegateTableConvertor;

namespace NvmeLm.ApiServer.Builtins;

/// <summary>The built-in resources the system uses, with the names, scope and columns kube-apiserver gives them.</summary>
public static class BuiltinResources
{
    public const string Owner = "builtin";

    public static IReadOnlyList<ResourceType> Create(IResourceStrategy crdStrategy)
    {
        var core = new StorageKey("", "events");
        return
        [
            new ResourceType
            {
                Group = "", Version = "v1", Plural = "namespaces", Singular = "namespace", Kind = "Namespace",
                Namespaced = false, ShortNames = ["ns"], HasStatusSubresource = true, ReturnsDeletedObject = true,
                Storage = new StorageKey("", "namespaces"), Strategy = new NamespaceStrategy(),
                SelectableFields = new HashSet<string> { "status.phase" },
                Table = new DelegateTableConvertor(
                    Column("Status", "The status of the namespace", o => o["status"]?["phase"]?.DeepClone()), Age),
            },
            new ResourceType
            {
                Group = "", Version = "v1", Plural = "nodes", Singular = "node", Kind = "Node",
                Namespaced = false, ShortNames = ["no"], HasStatusSubresource = true,
                Storage = new StorageKey("", "nodes"),
                SelectableFields = new HashSet<string> { "spec.unschedulable" },
                Table = new DelegateTableConvertor(
                    Column("Status", "The status of the node", NodeStatus),
                    Column("Roles", "The roles of the node", NodeRoles),
                    Age,
                    Column("Version", "Kubelet Version reported by the node.", o => o["status"]?["nodeInfo"]?["kubeletVersion"]?.DeepClone() ?? "")),
            },
            new ResourceType
            {
                Group = "", Version = "v1", Plural = "pods", Singular = "pod", Kind = "Pod",
                Namespaced = true, ShortNames = ["po"], Categories = ["all"], HasStatusSubresource = true, ReturnsDeletedObject = true,
                Storage = new StorageKey("", "pods"), Strategy = new PodStrategy(),
                SelectableFields = new HashSet<string> { "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.phase", "status.podIP", "status.nominatedNodeName" },
                Table = new DelegateTableConvertor(
                    Column("Ready", "The aggregate readiness state of this pod for accepting traffic.", PodReady),
                    Column("Status", "The aggregate status of the containers in this pod.", o => o["status"]?["reason"]?.DeepClone() ?? o["status"]?["phase"]?.DeepClone()),
                    Column("Restarts", "The number of times the containers in this pod have been restarted.", o =>
                        (o["status"]?["containerStatuses"] as JsonArray)?.Sum(c => c?["restartCount"]?.GetValue<int>() ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "0"),
                    Age),
            },
            new ResourceType
            {
                Group = "", Version = "v1", Plural = "secrets", Singular = "secret", Kind = "Secret",
                Namespaced = true, Storage = new StorageKey("", "secrets"), Strategy = new SecretStrategy(),
                SelectableFields = new HashSet<string> { "type" },
                Table = new DelegateTableConvertor(
                    Column("Type", "The type of the secret", o => o["type"]?.DeepClone() ?? "Opaque"),
                    Column("Data", "The number of data items in the secret", o => (o["data"] as JsonObject)?.Count ?? 0),
                    Age),
            },
            new ResourceType
            {
                Group = "", Version = "v1", Plural = "configmaps", Singular = "configmap", Kind = "ConfigMap",
                Namespaced = true, ShortNames = ["cm"], Storage = new StorageKey("", "configmaps"),
                Table = new DelegateTableConvertor(
                    Column("Data", "Number of data in configmap", o => ((o["data"] as JsonObject)?.Count ?? 0) + ((o["binaryData"] as JsonObject)?.Count ?? 0)),
                    Age),
            },
            new ResourceType
            {
                Group = "", Version = "v1", Plural = "events", Singular = "event", Kind = "Event",
                Namespaced = true, ShortNames = ["ev"], Storage = core,
                SelectableFields = EventFields,
                Table = EventTable("message", "involvedObject", "source"),
            },
            new ResourceType
            {
                Group = "events.k8s.io", Version = "v1", Plural = "events", Singular = "event", Kind = "Event",
                Namespaced = true, ShortNames = ["ev"], Storage = core, Converter = EventsV1Converter.Instance,
                SelectableFields = EventFields,
                Table = EventTable("note", "regarding", "deprecatedSource"),
            },
            new ResourceType
            {
                Group = "coordination.k8s.io", Version = "v1", Plural = "leases", Singular = "lease", Kind = "Lease",
                Namespaced = true, Storage = new StorageKey("coordination.k8s.io", "leases"),
                Table = new DelegateTableConvertor(
                    Column("Holder", "The holder of the lease", o => o["spec"]?["holderIdentity"]?.DeepClone() ?? ""),
                    Age),
            },
            new ResourceType
            {
                Group = "apiextensions.k8s.io", Version = "v1", Plural = "customresourcedefinitions", Singular = "customresourcedefinition",
                Kind = "CustomResourceDefinition", Namespaced = false, ShortNames = ["crd", "crds"], HasStatusSubresource = true,
                Storage = new StorageKey("apiextensions.k8s.io", "customresourcedefinitions"), Strategy = crdStrategy,
                Table = new DelegateTableConvertor(
                    (new TableColumn("Created At", "date", "CreationTimestamp"), (o, _) => o["metadata"]?["creationTimestamp"]?.DeepClone())),
            },
        ];
    }

    private static readonly HashSet<string> EventFields =
    [
        "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
        "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
        "reason", "reportingComponent", "source", "type",
    ];

    /// <summary>kube-apiserver's event columns: no leading Name (it is a hidden column at the end).</summary>
    private static DelegateTableConvertor EventTable(string messageField, string objectField, string sourceField) => new(
        false,
        (new TableColumn("Last Seen", "string", "Time since the event was last seen"), (o, now) =>
            HumanDuration.Since(o["lastTimestamp"] ?? o["deprecatedLastTimestamp"] ?? o["eventTime"] ?? o["metadata"]?["creationTimestamp"], now)),
        Column("Type", "The type of the event", o => o["type"]?.DeepClone()),
        Column("Reason", "The reason of the event", o => o["reason"]?.DeepClone()),
        Column("Object", "The object the event is about", o =>
            $"{o[objectField]?["kind"]?.GetValue<string>()?.ToLowerInvariant()}/{o[objectField]?["name"]?.GetValue<string>()}"),
        Column("Source", "The component that reported the event", o => o[sourceField]?["component"]?.DeepClone() ?? o["reportingComponent"]?.DeepClone() ?? o["reportingController"]?.DeepClone(), priority: 1),
        Column("Message", "A human-readable description of the event", o => o[messageField]?.DeepClone()),
        (NameColumn.Column with { Priority = 1 }, NameColumn.Cell));

    private static JsonNode NodeStatus(JsonObject node)
    {
        var ready = (node["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(c => c["type"]?.GetValue<string>() == "Ready");
        string status = ready?["status"]?.GetValue<string>() switch
        {
            "True" => "Ready",
            null => "Unknown",
            _ => "NotReady",
        };
        if (node["spec"]?["unschedulable"]?.GetValue<bool>() == true)
        {
            status += ",SchedulingDisabled";
        }
        return status;
    }

    private static JsonNode NodeRoles(JsonObject node)
    {
        const string RolePrefix = "node-role.kubernetes.io/";
        var roles = (node["metadata"]?["labels"] as JsonObject)?.Select(l => l.Key)
            .Where(k => k.StartsWith(RolePrefix, StringComparison.Ordinal))
            .Select(k => k[RolePrefix.Length..]).Order(StringComparer.Ordinal).ToList() ?? [];
        return roles.Count == 0 ? "<none>" : string.Join(',', roles);
    }

    private static JsonNode PodReady(JsonObject pod)
    {
        int total = (pod["spec"]?["containers"] as JsonArray)?.Count ?? 0;
        int ready = (pod["status"]?["containerStatuses"] as JsonArray)?.Count(c => c?["ready"]?.GetValue<bool>() == true) ?? 0;
        return $"{ready}/{total}";
    }
}
