using NvmeLm.TestSupport;

namespace NvmeLm.Charts.Tests;

/// <summary>
/// The value sets every chart check runs over: what a cluster admin installs (defaults), an HA operator with a
/// ServiceMonitor, the emulated-hardware install with the image's sample host and with a host file of one's own,
/// metrics off, and another namespace and release name.
/// </summary>
internal static class ChartValueSets
{
    public const string Default = "default";
    public const string HighAvailability = "ha";
    public const string Emulated = "emulated";
    public const string EmulatedWithConfig = "emulated-config";
    public const string MetricsOff = "metrics-off";
    public const string CustomNamespace = "custom-namespace";

    public static readonly string[] All = [Default, HighAvailability, Emulated, EmulatedWithConfig, MetricsOff, CustomNamespace];

    /// <summary>Every value set with helm 4 and helm 3.</summary>
    public static TheoryData<int, string> WithBothHelms()
    {
        var data = new TheoryData<int, string>();
        foreach (int helm in new[] { 4, 3 })
        {
            foreach (string set in All)
            {
                data.Add(helm, set);
            }
        }

        return data;
    }

    /// <summary>The helm arguments (namespace and values) of a value set.</summary>
    public static string[] Arguments(string name) => name switch
    {
        Default => ["--namespace", "nvme-lm"],
        HighAvailability => ["--namespace", "nvme-lm", "--set", "operator.replicas=3", "--set", "metrics.serviceMonitor.enabled=true",
            "--set", "agent.maxUnavailable=25%"],
        Emulated => ["--namespace", "nvme-lm", "--set", "agent.hardware=emulated"],
        EmulatedWithConfig => ["--namespace", "nvme-lm", "--set", "agent.hardware=emulated",
            "--set-file", "agent.emulatedConfig=" + RepositoryPaths.Combine("node-agent", "NvmeLm.Hardware", "Emulated", "sample-host.json")],
        MetricsOff => ["--namespace", "nvme-lm", "--set", "metrics.enabled=false", "--set", "metrics.serviceMonitor.enabled=true"],
        CustomNamespace => ["--namespace", "storage-system", "--set", "crds.keep=false", "--set", "admissionPolicy.enabled=false"],
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown value set"),
    };

    public static string Namespace(string name) => Arguments(name)[1];
}
