using System.Xml;

namespace NvmeLm.ApiServer.Builtins.Schemas;

/// <summary>
/// Field and type descriptions from the XML documentation the KubernetesClient package ships
/// (<c>KubernetesClient.xml</c>, generated from the upstream OpenAPI descriptions; copied next to the
/// assembly by the project file). Read once, on first use; without the file descriptions are empty.
/// </summary>
internal static class ModelDocs
{
    private const string Prefix = "k8s.Models.";

    private static readonly Lazy<Dictionary<string, string>> s_docs = new(Load);

    /// <summary>The summary of <c>T:k8s.Models.V1PodSpec</c> or <c>P:k8s.Models.V1PodSpec.Containers</c>, or null.</summary>
    public static string? Summary(string member) => s_docs.Value.GetValueOrDefault(member);

    private static Dictionary<string, string> Load()
    {
        var docs = new Dictionary<string, string>(StringComparer.Ordinal);
        // The app directory, not Assembly.Location: that is empty in a single-file publish (build/publish.sh), where
        // the analyzer's IL3000 fails the build.
        string path = Path.Combine(AppContext.BaseDirectory, typeof(k8s.Kubernetes).Assembly.GetName().Name + ".xml");
        if (!File.Exists(path))
        {
            return docs;
        }
        using var reader = XmlReader.Create(path, new XmlReaderSettings { IgnoreComments = true, IgnoreWhitespace = true });
        while (reader.ReadToFollowing("member"))
        {
            string? name = reader.GetAttribute("name");
            if (name is null || name.Length < 2 || !name.AsSpan(2).StartsWith(Prefix) || name[0] is not ('T' or 'P'))
            {
                continue;
            }
            using var member = reader.ReadSubtree();
            if (member.ReadToDescendant("summary"))
            {
                docs[name] = Normalize(member.ReadElementContentAsString());
            }
        }
        return docs;
    }

    /// <summary>The generator wraps lines and indents them; kube's descriptions are single paragraphs joined by spaces.</summary>
    private static string Normalize(string text) =>
        string.Join(' ', text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
}
