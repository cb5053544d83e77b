using System.Text.RegularExpressions;

namespace NvmeLm.ApiServer.Http;

/// <summary>Kubernetes API version priority (apimachinery's version.CompareKubeAwareVersionStrings): v2 > v1 > v1beta2 > v1beta1 > v1alpha1 > other.</summary>
public static partial class VersionPriority
{
    public static IComparer<string> Comparer { get; } = Comparer<string>.Create((a, b) =>
    {
        int byPriority = Key(b).CompareTo(Key(a));
        return byPriority != 0 ? byPriority : string.CompareOrdinal(a, b);
    });

    private static (int Stability, int Major, int Minor) Key(string version)
    {
        var match = KubeVersion().Match(version);
        if (!match.Success)
        {
            return (0, 0, 0);
        }
        int major = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        int minor = match.Groups[3].Success ? int.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        int stability = match.Groups[2].Value switch
        {
            "" => 3,
            "beta" => 2,
            _ => 1,
        };
        return (stability, major, minor);
    }

    [GeneratedRegex("^v([0-9]+)(?:(alpha|beta)([0-9]+))?$")]
    private static partial Regex KubeVersion();
}
