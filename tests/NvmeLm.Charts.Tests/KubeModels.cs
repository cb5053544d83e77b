using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using NvmeLm.TestSupport;

namespace NvmeLm.Charts.Tests;

/// <summary>
/// The npm package <c>kubernetes-models</c> (validators generated from the real Kubernetes OpenAPI, plus
/// prometheus-operator's for ServiceMonitor), installed by <c>tests/tools/fetch-kube-models.sh</c> and run with node:
/// no schema of a built-in kind is written here. Missing node/npm or registry fails the calling test with the script's message.
/// </summary>
internal static class KubeModels
{
    private static readonly Lazy<string> s_directory = new(Fetch);

    /// <summary>One object's verdict: the model module that checked it (null: no model for its kind) and its errors.</summary>
    public sealed record Verdict(string ApiVersion, string Kind, string? Name, string? Model, IReadOnlyList<string> Errors);

    public static async Task<IReadOnlyList<Verdict>> ValidateAsync(IReadOnlyList<JsonObject> objects)
    {
        string directory = s_directory.Value;
        var input = new JsonArray([.. objects.Select(o => (JsonNode)o.DeepClone())]).ToJsonString();
        var result = (await ProcessRunner.RunAsync("node", [Path.Combine(directory, "validate.cjs"), directory], TimeSpan.FromMinutes(1),
            standardInput: input)).EnsureSuccess();
        return JsonSerializer.Deserialize<List<Verdict>>(result.StandardOutput, new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidOperationException("the validator printed no verdicts");
    }

    private static string Fetch()
    {
        string script = RepositoryPaths.Combine("tests", "tools", "fetch-kube-models.sh");
        var start = new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {script}");
        var stderr = process.StandardError.ReadToEndAsync();
        string directory = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"kubernetes-models is required and could not be installed: '{script}' exited {process.ExitCode}: {stderr.Result.Trim()}. "
                + "It needs node, npm and the npm registry.");
        }

        return directory;
    }
}
