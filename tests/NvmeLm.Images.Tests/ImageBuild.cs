using System.Text.Json.Nodes;
using NvmeLm.TestSupport;

namespace NvmeLm.Images.Tests;

/// <summary>
/// Runs <c>bash build/images.sh</c> once per test run (the documented command, from this checkout), then unpacks each
/// archive as a runtime would: <c>skopeo</c> to an OCI layout, <c>umoci unpack</c> to a root filesystem. Needs root,
/// umoci and skopeo (the script says which is missing).
/// </summary>
internal static class ImageBuild
{
    public const string Operator = "nvme-lm-operator";
    public const string Agent = "nvme-lm-agent";

    private static readonly Lazy<Task<IReadOnlyDictionary<string, BuiltImage>>> s_images = new(BuildAsync);

    public static string OutputDirectory => RepositoryPaths.Combine(".build", "images");

    public static async Task<BuiltImage> GetAsync(string name) => (await s_images.Value)[name];

    private static async Task<IReadOnlyDictionary<string, BuiltImage>> BuildAsync()
    {
        // A publish of two self-contained binaries on a busy 2-core machine takes minutes; the publish cache makes reruns cheap.
        (await ProcessRunner.RunAsync("bash", [RepositoryPaths.Combine("build", "images.sh"), OutputDirectory], TimeSpan.FromMinutes(40)))
            .EnsureSuccess();
        string unpacked = Directory.CreateTempSubdirectory("nvmelm-images-").FullName;
        var images = new Dictionary<string, BuiltImage>();
        foreach (string name in new[] { Operator, Agent })
        {
            string archive = Path.Combine(OutputDirectory, name + ".oci.tar");
            var config = (await RunAsync("skopeo", "inspect", "--config", "oci-archive:" + archive)).StandardOutput;
            string layout = Path.Combine(unpacked, name + "-layout");
            string bundle = Path.Combine(unpacked, name);
            await RunAsync("skopeo", "copy", "--quiet", "oci-archive:" + archive, $"oci:{layout}:test");
            await RunAsync("umoci", "unpack", "--image", $"{layout}:test", bundle);
            images[name] = new BuiltImage(name, archive, JsonNode.Parse(config)!.AsObject(), Path.Combine(bundle, "rootfs"));
        }

        return images;
    }

    private static async Task<ProcessResult> RunAsync(string tool, params string[] arguments) =>
        (await ProcessRunner.RunAsync(tool, arguments, TimeSpan.FromMinutes(5))).EnsureSuccess();
}
