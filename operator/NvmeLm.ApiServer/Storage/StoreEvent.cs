using System.Text.Json.Nodes;
using NvmeLm.ApiServer.Resources;

namespace NvmeLm.ApiServer.Storage;

/// <summary>
/// One change in the store. <see cref="Object"/> is the new state (the last state for deletions) and
/// <see cref="OldObject"/> the previous one, so filtered watchers can turn a MODIFIED into ADDED or
/// DELETED when an object enters or leaves their selector, as kube-apiserver's watch cache does.
/// Both objects are immutable once published.
/// </summary>
public sealed record StoreEvent(
    StoreEventType Type,
    StorageKey Storage,
    ObjectName Name,
    long ResourceVersion,
    JsonObject? Object,
    JsonObject? OldObject);
