namespace NvmeLm.ApiServer.Admission;

/// <summary>A named CEL expression of a policy: a matchCondition, a variable, or an audit annotation (its key).</summary>
public sealed record NamedExpression(string Name, PolicyExpression Expression);
