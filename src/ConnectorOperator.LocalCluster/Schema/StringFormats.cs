using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace ConnectorOperator.LocalCluster.Schema;

/// <summary>
/// The string formats the apiserver checks that matter here: date-time, date, byte, uuid, ipv4, ipv6.
/// Any other format (int32, int64, double, password, ...) is accepted without a check, like unknown formats are.
/// </summary>
internal static partial class StringFormats
{
    public static bool IsValid(string format, string value) => format switch
    {
        "date-time" or "datetime" => IsDateTime(value),
        "date" => IsDate(value),
        "byte" => IsBase64(value),
        "uuid" => UuidPattern().IsMatch(value),
        "ipv4" => Ipv4Pattern().IsMatch(value) && IPAddress.TryParse(value, out var v4) && v4.AddressFamily == AddressFamily.InterNetwork,
        "ipv6" => value.Contains(':', StringComparison.Ordinal) && IPAddress.TryParse(value, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6,
        _ => true,
    };

    private static bool IsDateTime(string value)
    {
        var match = DateTimePattern().Match(value);
        return match.Success && IsDate(match.Groups["date"].Value)
            && int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture) < 24
            && int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture) < 60
            && (!match.Groups["s"].Success || int.Parse(match.Groups["s"].Value, CultureInfo.InvariantCulture) < 61);
    }

    private static bool IsDate(string value) =>
        DatePattern().IsMatch(value)
        && DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static bool IsBase64(string value)
    {
        var buffer = new byte[(value.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(value, buffer, out _);
    }

    [GeneratedRegex(@"^(?<date>\d{4}-\d{2}-\d{2})[Tt ](?<h>\d{2}):(?<m>\d{2})(:(?<s>\d{2})(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimePattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex UuidPattern();

    [GeneratedRegex(@"^\d{1,3}(\.\d{1,3}){3}$", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv4Pattern();
}
