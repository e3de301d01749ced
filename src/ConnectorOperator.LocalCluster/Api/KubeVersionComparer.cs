using System.Globalization;
using System.Text.RegularExpressions;

namespace ConnectorOperator.LocalCluster.Api;

/// <summary>Orders API versions by Kubernetes priority: GA before beta before alpha, higher numbers first, others last alphabetically.</summary>
internal sealed partial class KubeVersionComparer : IComparer<string>
{
    public static KubeVersionComparer Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        var (xRank, xMajor, xMinor) = Rank(x ?? string.Empty);
        var (yRank, yMajor, yMinor) = Rank(y ?? string.Empty);
        if (xRank != yRank)
        {
            return xRank.CompareTo(yRank);
        }

        if (xRank == 3)
        {
            return string.CompareOrdinal(x, y);
        }

        return xMajor != yMajor ? yMajor.CompareTo(xMajor) : yMinor.CompareTo(xMinor);
    }

    private static (int Rank, int Major, int Minor) Rank(string version)
    {
        var match = KubeVersion().Match(version);
        if (!match.Success)
        {
            return (3, 0, 0);
        }

        var major = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var minor = match.Groups[3].Success ? int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture) : 0;
        var rank = match.Groups[2].Value switch
        {
            "" => 0,
            "beta" => 1,
            _ => 2,
        };
        return (rank, major, minor);
    }

    [GeneratedRegex("^v([0-9]+)(?:(alpha|beta)([0-9]+))?$")]
    private static partial Regex KubeVersion();
}
