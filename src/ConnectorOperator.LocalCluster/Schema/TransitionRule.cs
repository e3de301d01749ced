using System.Text.RegularExpressions;

namespace ConnectorOperator.LocalCluster.Schema;

internal static partial class TransitionRule
{
    public static bool Mentions(string rule) => OldSelfIdentifier().IsMatch(rule);

    [GeneratedRegex(@"(?<![\w.])oldSelf\b", RegexOptions.CultureInvariant)]
    private static partial Regex OldSelfIdentifier();
}
