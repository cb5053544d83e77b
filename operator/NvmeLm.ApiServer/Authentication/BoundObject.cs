using NvmeLm.ApiServer.Resources;
using NvmeLm.ApiServer.Storage;

namespace NvmeLm.ApiServer.Authentication;

/// <summary>A stored object a token is bound to (its service account, its pod): the token works while this object, with this uid, exists.</summary>
public sealed record BoundObject(StorageKey Storage, ObjectName Name, string Uid);
