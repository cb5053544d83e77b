using System.CommandLine;

namespace NvmeLm.DevCluster.NodeCache;

/// <summary><c>node-cache</c>: measures the operator's Node cache, whole vs metadata-only (run by hand, in Release).</summary>
public static class NodeCacheCommand
{
    public static Command Create()
    {
        var nodes = new Option<int>("--nodes") { Description = "Node objects in the embedded API server", DefaultValueFactory = _ => 1000 };
        var images = new Option<int>("--images") { Description = "Images each Node reports (the kubelet publishes up to 50)", DefaultValueFactory = _ => 40 };
        var form = new Option<string>("--form")
        {
            Description = "Which cache: the operator's metadata-only Node cache, or whole Nodes (as before); run once per form",
            DefaultValueFactory = _ => NodeCacheMeasurement.MetadataForm,
        }.AcceptOnlyFromAmong(NodeCacheMeasurement.MetadataForm, NodeCacheMeasurement.WholeForm);
        var command = new Command("node-cache", "Measure the memory of the operator's Node cache (metadata only, or whole Nodes as before)") { form, nodes, images };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(nodes) < 1 || parse.GetValue(images) < 0)
            {
                await Console.Error.WriteLineAsync("node-cache: --nodes must be at least 1 and --images at least 0").ConfigureAwait(false);
                return 2;
            }

            Console.WriteLine(await NodeCacheMeasurement.RunAsync(parse.GetValue(form)!, parse.GetValue(nodes), parse.GetValue(images), cancellationToken).ConfigureAwait(false));
            return 0;
        });
        return command;
    }
}
