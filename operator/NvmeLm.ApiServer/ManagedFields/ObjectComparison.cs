namespace NvmeLm.ApiServer.ManagedFields;

/// <summary>What changed between two versions of an object, as field sets (structured-merge-diff <c>typed.Comparison</c>).</summary>
/// <param name="Changed">Fields added or modified (Added ∪ Modified).</param>
/// <param name="Removed">Fields that are gone.</param>
public sealed record ObjectComparison(FieldSet Changed, FieldSet Removed)
{
    public bool IsEmpty => Changed.IsEmpty && Removed.IsEmpty;
}
