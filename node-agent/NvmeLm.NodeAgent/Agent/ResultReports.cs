using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>
/// <c>operationResults[].reportedAt</c>, the trace's "status reported" (DESIGN §4.1): the time of the first status
/// write that carried a result as final. The journal does not keep it (one more durable write inside the window for a
/// trace); the stored status does, and every later status copies it from there.
/// </summary>
public static class ResultReports
{
    /// <summary><paramref name="result"/> with the reportedAt <paramref name="published"/> already carries for it, if any.</summary>
    public static NodeOperationResult Keep(NodeOperationResult result, IReadOnlyDictionary<string, NodeOperationResult> published)
    {
        if (result.State != OperationState.Running && published.TryGetValue(result.Id, out NodeOperationResult? earlier)
            && earlier.State == result.State && earlier.ReportedAt is { } reported)
        {
            result.ReportedAt = reported;
        }

        return result;
    }

    /// <summary>Stamps every final result of <paramref name="status"/> not reported before with <paramref name="now"/>, just before the write.</summary>
    public static void Stamp(V1Alpha1NvmeNode.EntityStatus status, DateTime now)
    {
        foreach (NodeOperationResult result in status.OperationResults ?? [])
        {
            if (result.State != OperationState.Running && result.ReportedAt is null)
            {
                result.ReportedAt = now;
            }
        }
    }
}
