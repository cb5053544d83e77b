using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Resources;

namespace NvmeLm.ApiServer.Builtins;

/// <summary>
/// Services get the defaults kube-apiserver gives them (kubernetes/kubernetes <c>pkg/apis/core/v1/defaults.go</c>
/// SetDefaults_Service: type ClusterIP, sessionAffinity None, port protocol TCP, targetPort = port) and a
/// cluster IP from 10.96.0.0/12 (the service IP allocator's role); the IP is kept across updates.
/// Nothing routes to it: no kube-proxy runs here.
/// </summary>
public sealed class ServiceStrategy : DefaultStrategy
{
    private int _nextHost = 10;

    public override void PrepareForCreate(JsonObject obj)
    {
        var spec = Spec(obj);
        Default(spec);
        if (spec["type"]?.GetValue<string>() != "ExternalName" && spec["clusterIP"] is null)
        {
            int host = Interlocked.Increment(ref _nextHost);
            string ip = $"10.96.{host / 256 % 256}.{host % 256}";
            spec["clusterIP"] = ip;
            spec["clusterIPs"] = new JsonArray(ip);
        }
        obj["status"] ??= new JsonObject { ["loadBalancer"] = new JsonObject() };
    }

    public override void PrepareForUpdate(JsonObject obj, JsonObject old)
    {
        var spec = Spec(obj);
        Default(spec);
        foreach (string field in new[] { "clusterIP", "clusterIPs" })
        {
            if (spec[field] is null && old["spec"]?[field] is JsonNode kept)
            {
                spec[field] = kept.DeepClone();
            }
        }
    }

    private static JsonObject Spec(JsonObject obj)
    {
        if (obj["spec"] is not JsonObject spec)
        {
            spec = new JsonObject();
            obj["spec"] = spec;
        }
        return spec;
    }

    private static void Default(JsonObject spec)
    {
        spec["type"] ??= "ClusterIP";
        spec["sessionAffinity"] ??= "None";
        foreach (var port in (spec["ports"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            port["protocol"] ??= "TCP";
            if (port["targetPort"] is null && port["port"] is JsonNode number)
            {
                port["targetPort"] = number.DeepClone();
            }
        }
    }
}
