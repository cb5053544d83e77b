using k8s.Models;

namespace NvmeLm.Kube.Resources;

/// <summary>
/// <c>metav1.Condition</c> helpers with apimachinery's <c>meta.SetStatusCondition</c> semantics:
/// <c>lastTransitionTime</c> moves only when <c>status</c> changes; reason, message and
/// <c>observedGeneration</c> are refreshed in place.
/// </summary>
public static class Conditions
{
    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";

    /// <summary>
    /// Sets the condition of <paramref name="type"/>; returns true when anything changed (so the caller knows
    /// whether a status write is needed).
    /// </summary>
    public static bool Set(
        IList<V1Condition> conditions,
        string type,
        string status,
        string reason,
        string? message,
        long? observedGeneration,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        if (status is not (True or False or Unknown))
        {
            throw new ArgumentException($"Condition status must be True, False or Unknown, not '{status}'.", nameof(status));
        }

        message ??= string.Empty;
        var existing = Find(conditions, type);
        if (existing is null)
        {
            conditions.Add(new V1Condition
            {
                Type = type,
                Status = status,
                Reason = reason,
                Message = message,
                ObservedGeneration = observedGeneration,
                LastTransitionTime = TruncateToSeconds(now),
            });
            return true;
        }

        var changed = false;
        if (existing.Status != status)
        {
            existing.Status = status;
            existing.LastTransitionTime = TruncateToSeconds(now);
            changed = true;
        }

        if (existing.Reason != reason)
        {
            existing.Reason = reason;
            changed = true;
        }

        if (existing.Message != message)
        {
            existing.Message = message;
            changed = true;
        }

        if (existing.ObservedGeneration != observedGeneration)
        {
            existing.ObservedGeneration = observedGeneration;
            changed = true;
        }

        return changed;
    }

    public static V1Condition? Find(IEnumerable<V1Condition>? conditions, string type) =>
        conditions?.FirstOrDefault(c => c.Type == type);

    public static bool IsTrue(IEnumerable<V1Condition>? conditions, string type) => Find(conditions, type)?.Status == True;

    public static bool IsFalse(IEnumerable<V1Condition>? conditions, string type) => Find(conditions, type)?.Status == False;

    /// <summary>True when the condition exists, is true and was computed for <paramref name="generation"/>.</summary>
    public static bool IsTrueFor(IEnumerable<V1Condition>? conditions, string type, long? generation) =>
        Find(conditions, type) is { Status: True } condition && condition.ObservedGeneration == generation;

    /// <summary>Removes the condition of <paramref name="type"/>; true when there was one.</summary>
    public static bool Remove(IList<V1Condition> conditions, string type)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        var existing = Find(conditions, type);
        return existing is not null && conditions.Remove(existing);
    }

    // metav1.Time is serialised with second precision; keeping the sub-second part would make an
    // unchanged condition differ from what the server echoes back.
    private static DateTime TruncateToSeconds(DateTimeOffset now) =>
        new(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}
