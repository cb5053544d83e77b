using k8s;
using k8s.Models;

namespace NvmeLm.Kube.Client;

/// <summary>One line of a watch stream. <see cref="Status"/> is set for <see cref="WatchEventType.Error"/> only.</summary>
public sealed record WatchEvent<T>(WatchEventType Type, T? Object, V1Status? Status)
    where T : class;
