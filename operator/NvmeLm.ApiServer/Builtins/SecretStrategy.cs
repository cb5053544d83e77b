using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Resources;

namespace NvmeLm.ApiServer.Builtins;

/// <summary>Secrets default to type Opaque and fold stringData into data (base64), as kube-apiserver does.</summary>
public sealed class SecretStrategy : DefaultStrategy
{
    public override void PrepareForCreate(JsonObject obj) => Normalize(obj);

    public override void PrepareForUpdate(JsonObject obj, JsonObject old) => Normalize(obj);

    private static void Normalize(JsonObject secret)
    {
        if (secret["type"] is null || secret["type"]!.GetValue<string>().Length == 0)
        {
            secret["type"] = "Opaque";
        }
        if (secret["stringData"] is JsonObject stringData)
        {
            if (secret["data"] is not JsonObject data)
            {
                data = new JsonObject();
                secret["data"] = data;
            }
            foreach (var (key, value) in stringData)
            {
                data[key] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(value?.GetValue<string>() ?? ""));
            }
            secret.Remove("stringData");
        }
    }
}
