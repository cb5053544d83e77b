using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Http;
using NvmeLm.ApiServer.Resources;

namespace NvmeLm.ApiServer.Builtins;

/// <summary>
/// Secrets default to type Opaque and fold stringData into data (base64), as kube-apiserver does, and
/// their data may hold at most 1 MiB (kubernetes/kubernetes <c>pkg/apis/core/validation/validation.go</c>
/// ValidateSecret: <c>totalSize &gt; core.MaxSecretSize</c> → <c>field.TooLong(data, "", MaxSecretSize)</c>).
/// </summary>
public sealed class SecretStrategy : DefaultStrategy
{
    /// <summary><c>core.MaxSecretSize</c> (kubernetes/kubernetes <c>pkg/apis/core/types.go</c>): 1 MiB of decoded data.</summary>
    public const int MaxSecretSize = 1024 * 1024;

    public override void PrepareForCreate(JsonObject obj) => Normalize(obj);

    public override void PrepareForUpdate(JsonObject obj, JsonObject old) => Normalize(obj);

    public override IReadOnlyList<InvalidCause> Validate(JsonObject obj, JsonObject? old)
    {
        long total = 0;
        foreach (var (_, value) in obj["data"] as JsonObject ?? [])
        {
            total += DecodedLength(value);
        }
        // apimachinery field.TooLong (1.32+): the value is omitted, the message names the limit in bytes.
        return total > MaxSecretSize
            ? [new InvalidCause("FieldValueTooLong", "data", $"Too long: may not be more than {MaxSecretSize} bytes")]
            : [];
    }

    /// <summary>The decoded size of one base64 value (what kube counts: <c>len([]byte)</c>).</summary>
    private static long DecodedLength(JsonNode? value)
    {
        string text = value?.GetValue<string>() ?? "";
        int padding = text.EndsWith("==", StringComparison.Ordinal) ? 2 : text.EndsWith('=') ? 1 : 0;
        return text.Length / 4 * 3 - padding;
    }

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
