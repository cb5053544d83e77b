using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;
using NvmeLm.Api;
using NvmeLm.Kube;
using NvmeLm.Kube.Client;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>
/// Moves a controller state through the migration's Secret (DESIGN §4): the operator creates the Secret, owned by the
/// NvmeMigration; the source agent writes the bytes under <see cref="DataKey"/> with their SHA-256 and size as
/// annotations; the destination agent reads them back. The agent never creates the Secret: without its owner it would
/// outlive the migration, and a missing Secret means the migration is gone.
/// </summary>
public sealed class StateSecretStore
{
    /// <summary>The data key of the state bytes, shared with the operator through the API.</summary>
    public const string DataKey = NvmeLmApi.StateSecretDataKey;

    /// <summary>SHA-256 (lower-case hex) of the bytes under <see cref="DataKey"/>, for people and tools reading the Secret.</summary>
    public const string Sha256Annotation = "nvmelm.io/state-sha256";

    public const string SizeAnnotation = "nvmelm.io/state-size";

    private readonly ResourceClient<V1Secret> _secrets;
    private readonly int _maxBytes;

    public StateSecretStore(ResourceClient<V1Secret> secrets, int maxBytes)
    {
        _secrets = secrets;
        _maxBytes = maxBytes;
    }

    public int MaxBytes => _maxBytes;

    /// <summary>Writes <paramref name="state"/> into the existing Secret (merge patch: other keys and the owner stay).</summary>
    public async Task WriteAsync(string ns, string name, byte[] state, string sha256, CancellationToken cancellationToken)
    {
        if (state.Length > _maxBytes)
        {
            throw new StateTransferException(StateTransferException.TooLarge,
                $"controller state is {state.Length} bytes, more than the {_maxBytes}-byte cap of a state Secret");
        }

        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["annotations"] = new JsonObject
                {
                    [Sha256Annotation] = sha256,
                    [SizeAnnotation] = state.Length.ToString(CultureInfo.InvariantCulture),
                },
            },
            ["data"] = new JsonObject { [DataKey] = Convert.ToBase64String(state) },
        };
        try
        {
            await _secrets.PatchAsync(new NamespacedName(ns, name), patch.ToJsonString(), cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException ex) when (ex.IsNotFound)
        {
            throw new StateTransferException(StateTransferException.SecretNotFound,
                $"state Secret {ns}/{name} does not exist (the operator creates it, owned by the migration)", ex);
        }
    }

    /// <summary>Reads the state bytes; refuses a missing Secret, a missing key or a state above the cap.</summary>
    public async Task<byte[]> ReadAsync(string ns, string name, CancellationToken cancellationToken)
    {
        V1Secret secret = await _secrets.TryGetAsync(new NamespacedName(ns, name), cancellationToken).ConfigureAwait(false)
            ?? throw new StateTransferException(StateTransferException.SecretNotFound, $"state Secret {ns}/{name} does not exist");
        if (secret.Data is null || !secret.Data.TryGetValue(DataKey, out byte[]? data) || data is null || data.Length == 0)
        {
            throw new StateTransferException(StateTransferException.StateMissing,
                $"state Secret {ns}/{name} has no '{DataKey}' data (the source has not saved the state)");
        }

        if (data.Length > _maxBytes)
        {
            throw new StateTransferException(StateTransferException.TooLarge,
                $"state Secret {ns}/{name} holds {data.Length} bytes, more than the {_maxBytes}-byte cap");
        }

        return data;
    }
}
