namespace NvmeLm.Operator.Pools;

/// <summary>Pool <paramref name="Pool"/> selects PF <paramref name="PfAddress"/> of <paramref name="Node"/>, but the older pool <paramref name="Winner"/> owns it.</summary>
internal sealed record PoolConflict(string Pool, string Node, string PfAddress, string Winner);
