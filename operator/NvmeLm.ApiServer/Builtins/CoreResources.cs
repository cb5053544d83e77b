using System.Text.Json.Nodes;
using k8s.Models;
using NvmeLm.ApiServer.Resources;
using NvmeLm.ApiServer.Tables;
using static NvmeLm.ApiServer.Builtins.BuiltinColumns;
using static NvmeLm.ApiServer.Tables.DelegateTableConvertor;

namespace NvmeLm.ApiServer.Builtins;

/// <summary>The core/v1 resources (and events.k8s.io/v1, which shares the events collection).</summary>
internal static class CoreResources
{
    public static IEnumerable<ResourceType> Create()
    {
        var events = new StorageKey("", "events");
        yield return new ResourceType
        {
            Group = "", Version = "v1", Plural = "namespaces", Singular = "namespace", Kind = "Namespace", Model = typeof(V1Namespace),
            Namespaced = false, ShortNames = ["ns"], HasStatusSubresource = true, ReturnsDeletedObject = true,
            Storage = new StorageKey("", "namespaces"), Strategy = new NamespaceStrategy(),
            SelectableFields = new HashSet<string> { "status.phase" },
            Table = new DelegateTableConvertor(
                Column("Status", "The status of the namespace", o => o["status"]?["phase"]?.DeepClone()), Age),
        };
        yield return new ResourceType
        {
            Group = "", Version = "v1", Plural = "nodes", Singular = "node", Kind = "Node", Model = typeof(V1Node),
            Namespaced = false, ShortNames = ["no"], HasStatusSubresource = true,
            Storage = new StorageKey("", "nodes"),
            SelectableFields = new HashSet<string> { "spec.unschedulable" },
            Table = new DelegateTableConvertor(
                Column("Status", "The status of the node", NodeStatus),
                Column("Roles", "The roles of the node", NodeRoles),
                Age,
                Column("Version", "Kubelet Version reported by the node.", o => o["status"]?["nodeInfo"]?["kubeletVersion"]?.DeepClone() ?? "")),
        };
        yield return new ResourceType
        {
            Group = "", Version = "v1", Plural = "pods", Singular = "pod", Kind = "Pod", Model = typeof(V1Pod),
            Namespaced = true, ShortNames = ["po"], Categories = ["all"], HasStatusSubresource = true, ReturnsDeletedObject = true,
            Storage = new StorageKey("", "pods"), Strategy = new PodStrategy(),
            SelectableFields = new HashSet<string> { "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.phase", "status.podIP", "status.nominatedNodeName" },
            Table = new DelegateTableConvertor(
                Column("Ready", "The aggregate readiness state of this pod for accepting traffic.", PodReady),
                Column("Status", "The aggregate status of the containers in this pod.", o => o["status"]?["reason"]?.DeepClone() ?? o["status"]?["phase"]?.DeepClone()),
                Column("Restarts", "The number of times the containers in this pod have been restarted.", o =>
                    (o["status"]?["containerStatuses"] as JsonArray)?.Sum(c => Int(c?["restartCount"])).ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "0"),
                Age),
        };
        yield return new ResourceType
        {
            Group = "", Version = "v1", Plural = "secrets", Singular = "secret", Kind = "Secret", Model = typeof(V1Secret),
            Namespaced = true, Storage = new StorageKey("", "secrets"), Strategy = new SecretStrategy(),
            SelectableFields = new HashSet<string> { "type" },
            Table = new DelegateTableConvertor(
                Column("Type", "The type of the secret", o => o["type"]?.DeepClone() ?? "Opaque"),
                Column("Data", "The number of data items in the secret", o => (o["data"] as JsonObject)?.Count ?? 0),
                Age),
        };
        yield return new ResourceType
        {
            Group = "", Version = "v1", Plural = "configmaps", Singular = "configmap", Kind = "ConfigMap", Model = typeof(V1ConfigMap),
            Namespaced = true, ShortNames = ["cm"], Storage = new StorageKey("", "configmaps"),
            Table = new DelegateTableConvertor(
                Column("Data", "Number of data in configmap", o => ((o["data"] as JsonObject)?.Count ?? 0) + ((o["binaryData"] as JsonObject)?.Count ?? 0)),
                Age),
        };
        yield return new ResourceType
        {
            Group = "", Version = "v1", Plural = "serviceaccounts", Singular = "serviceaccount", Kind = "ServiceAccount", Model = typeof(V1ServiceAccount),
            Namespaced = true, ShortNames = ["sa"], Storage = new StorageKey("", "serviceaccounts"),
            Table = new DelegateTableConvertor(
                Column("Secrets", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.",
                    o => (o["secrets"] as JsonArray)?.Count ?? 0),
                Age),
        };
        yield return new ResourceType
        {
            Group = "", Version = "v1", Plural = "services", Singular = "service", Kind = "Service", Model = typeof(V1Service),
            Namespaced = true, ShortNames = ["svc"], Categories = ["all"], HasStatusSubresource = true,
            Storage = new StorageKey("", "services"), Strategy = new ServiceStrategy(),
            Table = new DelegateTableConvertor(
                Column("Type", "type determines how the Service is exposed.", o => o["spec"]?["type"]?.DeepClone() ?? "ClusterIP"),
                Column("Cluster-IP", "clusterIP is the IP address of the service.", o => o["spec"]?["clusterIP"]?.DeepClone() ?? None),
                Column("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.",
                    o => JoinOrNone((o["spec"]?["externalIPs"] as JsonArray)?.Select(Text) ?? [])),
                Column("Port(s)", "The ports that are exposed by this service.", ServicePorts),
                Age,
                Column("Selector", "Route service traffic to pods with label keys and values matching this selector.", o => Labels(o["spec"]?["selector"]), priority: 1)),
        };
        yield return new ResourceType
        {
            Group = "", Version = "v1", Plural = "events", Singular = "event", Kind = "Event", Model = typeof(Corev1Event),
            Namespaced = true, ShortNames = ["ev"], Storage = events,
            SelectableFields = s_eventFields,
            Table = EventTable("message", "involvedObject", "source"),
        };
        yield return new ResourceType
        {
            Group = "events.k8s.io", Version = "v1", Plural = "events", Singular = "event", Kind = "Event", Model = typeof(Eventsv1Event),
            Namespaced = true, ShortNames = ["ev"], Storage = events, Converter = EventsV1Converter.Instance,
            SelectableFields = s_eventFields,
            Table = EventTable("note", "regarding", "deprecatedSource"),
        };
    }

    private static readonly HashSet<string> s_eventFields =
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
        return roles.Count == 0 ? None : string.Join(',', roles);
    }

    private static JsonNode PodReady(JsonObject pod)
    {
        int total = (pod["spec"]?["containers"] as JsonArray)?.Count ?? 0;
        int ready = (pod["status"]?["containerStatuses"] as JsonArray)?.Count(c => c?["ready"]?.GetValue<bool>() == true) ?? 0;
        return $"{ready}/{total}";
    }

    /// <summary>printers.go makePortString: <c>port[:nodePort]/protocol</c>, comma-joined.</summary>
    private static JsonNode ServicePorts(JsonObject service) =>
        JoinOrNone((service["spec"]?["ports"] as JsonArray)?.OfType<JsonObject>().Select(p =>
        {
            string protocol = p["protocol"] is JsonNode proto ? Text(proto) : "TCP";
            string nodePort = p["nodePort"] is JsonNode n && Int(n) > 0 ? $":{Int(n)}" : "";
            return $"{Int(p["port"])}{nodePort}/{protocol}";
        }) ?? []);
}
