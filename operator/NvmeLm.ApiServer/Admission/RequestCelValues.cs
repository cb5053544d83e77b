using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Validation;

namespace NvmeLm.ApiServer.Admission;

/// <summary>
/// The CEL values of one request (<c>object</c>, <c>oldObject</c>, <c>request</c>, <c>namespaceObject</c>), each
/// converted from JSON the first time a policy that uses it is evaluated and then shared by every policy: a
/// request no policy matches converts nothing, and a policy that only reads <c>request</c> never pays for
/// converting the objects.
/// </summary>
public sealed class RequestCelValues
{
    private readonly AdmissionAttributes _request;
    private readonly JsonObject? _namespaceObject;
    private readonly Dictionary<string, object?> _converted = new(StringComparer.Ordinal);

    public RequestCelValues(AdmissionAttributes request, JsonObject? namespaceObject)
    {
        _request = request;
        _namespaceObject = namespaceObject;
    }

    /// <summary>The names a policy's expressions can refer to besides <c>variables</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["object", "oldObject", "request", "namespaceObject", "params"];

    /// <summary>An activation holding the values named in <paramref name="used"/>.</summary>
    public Dictionary<string, object?> ActivationFor(IReadOnlySet<string> used)
    {
        var activation = new Dictionary<string, object?>(used.Count + 2, StringComparer.Ordinal);
        foreach (string name in used)
        {
            if (!_converted.TryGetValue(name, out var value))
            {
                value = Convert(name);
                _converted[name] = value;
            }
            activation[name] = value;
        }
        return activation;
    }

    private object? Convert(string name) => name switch
    {
        "object" => CelValues.From(_request.Object),
        "oldObject" => CelValues.From(_request.OldObject),
        "request" => AdmissionRequestValue.Request(_request),
        "namespaceObject" => AdmissionRequestValue.Namespace(_namespaceObject),
        _ => null,
    };
}
