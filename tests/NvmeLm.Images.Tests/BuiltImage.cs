using System.Text.Json.Nodes;

namespace NvmeLm.Images.Tests;

/// <summary>One image as build/images.sh wrote it: the archive, its OCI config, and its root filesystem unpacked.</summary>
internal sealed record BuiltImage(string Name, string Archive, JsonObject Config, string RootFs)
{
    public JsonObject RuntimeConfig => Config["config"]!.AsObject();

    public string User => (string)RuntimeConfig["User"]!;

    public IReadOnlyList<string> Entrypoint => [.. RuntimeConfig["Entrypoint"]!.AsArray().Select(e => (string)e!)];

    public IReadOnlyList<string> ExposedPorts => [.. RuntimeConfig["ExposedPorts"]!.AsObject().Select(p => p.Key).Order()];

    public IReadOnlyDictionary<string, string> Labels =>
        RuntimeConfig["Labels"]!.AsObject().ToDictionary(l => l.Key, l => (string)l.Value!);

    public IReadOnlyList<string> Env => [.. RuntimeConfig["Env"]!.AsArray().Select(e => (string)e!)];

    public string WorkingDir => (string)RuntimeConfig["WorkingDir"]!;

    /// <summary>A path inside the image (absolute in the image) on this machine.</summary>
    public string PathOf(string imagePath) => Path.Combine(RootFs, imagePath.TrimStart('/'));
}
