using NvmeLm.Api.V1Alpha1;

namespace NvmeLm.NodeAgent.Agent;

/// <summary>One secondary controller (VF) as the spec wants it, validated.</summary>
public sealed record DesiredSecondary(int VfNumber, string? Driver, SecondaryRole Role, string? OwnerUid);
