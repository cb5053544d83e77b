namespace NvmeLm.Kube.Client;

/// <summary>Query options of list and watch calls.</summary>
public sealed record ListOptions
{
    /// <summary>A field selector such as <c>metadata.name=node-1</c>.</summary>
    public string? FieldSelector { get; init; }

    /// <summary>A label selector such as <c>app=nvme,tier!=test</c>.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>For a watch: the version to resume after; for a list: the minimum version to serve.</summary>
    public string? ResourceVersion { get; init; }

    /// <summary>Asks for BOOKMARK events, so an idle watch still advances its resourceVersion.</summary>
    public bool AllowWatchBookmarks { get; init; }

    /// <summary>Server-side end of a watch; the informer rotates watches so none lives forever.</summary>
    public int? TimeoutSeconds { get; init; }
}
