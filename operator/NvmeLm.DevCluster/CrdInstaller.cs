using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace NvmeLm.DevCluster;

/// <summary>Applies CustomResourceDefinitions through the API, as <c>kubectl apply -f crds/</c> does, and waits until each is Established.</summary>
public static class CrdInstaller
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(20);

    public static async Task ApplyAsync(Kubernetes client, IEnumerable<JsonObject> crds, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        foreach (var json in crds)
        {
            var crd = KubernetesJson.Deserialize<V1CustomResourceDefinition>(json.ToJsonString());
            names.Add(crd.Metadata.Name);
            try
            {
                await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
            {
                // Already there (a second demo against the same server): apply means "make it so", not "create".
            }
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        foreach (var name in names)
        {
            while (!IsEstablished(await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name, cancellationToken: deadline.Token).ConfigureAwait(false)))
            {
                await Task.Delay(s_pollInterval, deadline.Token).ConfigureAwait(false);
            }
        }
    }

    private static bool IsEstablished(V1CustomResourceDefinition crd) =>
        crd.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true;
}
