using k8s;
using k8s.Models;

namespace NvmeLm.Charts.Tests.Installed;

/// <summary>
/// A container's file system for a process on this machine: the image's <c>/app</c> is the test's output directory
/// (the same binaries and sample host file the images carry, see NvmeLm.Images.Tests), and every volume mount is a
/// directory of the pod's own: emptyDirs empty, ConfigMaps with the installed ConfigMap's data. Arguments naming a
/// container path are rewritten to the host path. HostPath volumes (real hardware) are refused: this harness runs
/// emulated hardware only.
/// </summary>
internal sealed class ContainerFilesystem
{
    private const string ImageAppDirectory = "/app";

    private readonly List<(string ContainerPath, string HostPath)> _mounts;

    private ContainerFilesystem(List<(string ContainerPath, string HostPath)> mounts) =>
        _mounts = [.. mounts.OrderByDescending(m => m.ContainerPath.Length)];

    public static async Task<ContainerFilesystem> CreateAsync(Kubernetes admin, V1Pod pod, V1Container container, string podDirectory)
    {
        var mounts = new List<(string, string)> { (ImageAppDirectory, AppContext.BaseDirectory.TrimEnd('/')) };
        var volumes = (pod.Spec.Volumes ?? []).ToDictionary(v => v.Name);
        foreach (var mount in container.VolumeMounts ?? [])
        {
            var volume = volumes[mount.Name];
            string host = Directory.CreateDirectory(Path.Combine(podDirectory, "volumes", mount.Name)).FullName;
            if (volume.ConfigMap is { } source)
            {
                var configMap = await admin.CoreV1.ReadNamespacedConfigMapAsync(source.Name, pod.Metadata.NamespaceProperty);
                foreach (var (key, value) in configMap.Data ?? new Dictionary<string, string>())
                {
                    await File.WriteAllTextAsync(Path.Combine(host, key), value);
                }
            }
            else if (volume.EmptyDir is null)
            {
                throw new NotSupportedException($"volume {mount.Name} of pod {pod.Metadata.Name}: only emptyDir and configMap volumes run here (emulated hardware)");
            }

            mounts.Add((mount.MountPath.TrimEnd('/'), host));
        }

        return new ContainerFilesystem(mounts);
    }

    /// <summary><c>--flag=/container/path</c> or <c>/container/path</c> with the path on this machine.</summary>
    public string MapArgument(string argument)
    {
        int equals = argument.StartsWith('-') ? argument.IndexOf('=', StringComparison.Ordinal) : -1;
        string value = argument[(equals + 1)..];
        return argument[..(equals + 1)] + MapPath(value);
    }

    private string MapPath(string path)
    {
        foreach (var (containerPath, hostPath) in _mounts)
        {
            if (path == containerPath || path.StartsWith(containerPath + "/", StringComparison.Ordinal))
            {
                return hostPath + path[containerPath.Length..];
            }
        }

        return path;
    }
}
