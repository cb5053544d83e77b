using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.Operator.Migrations;

/// <summary>The resolved source VF with the inventory facts the destination must be compatible with.</summary>
internal readonly record struct SourceCandidate(
    ResolvedEndpoint Endpoint, PhysicalFunctionStatus Pf, SecondaryControllerStatus Secondary, string Driver);
