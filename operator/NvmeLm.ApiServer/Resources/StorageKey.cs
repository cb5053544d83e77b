namespace NvmeLm.ApiServer.Resources;

/// <summary>Names one stored collection: the group and plural resource objects are kept under.</summary>
public readonly record struct StorageKey(string Group, string Resource)
{
    public override string ToString() => Group.Length == 0 ? Resource : $"{Resource}.{Group}";
}
