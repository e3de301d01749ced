using System.Text.RegularExpressions;
using ConnectorOperator.Api;

namespace ConnectorOperator.Validation;

/// <summary>The CRD's ASCII-only patterns as .NET regexes that match the way the API server's do (see <see cref="SpecText"/> for the unicode ones).</summary>
internal static class SpecPatterns
{
    public static readonly Regex Digits = Compile(AgentConnectorRules.DigitsPattern);
    public static readonly Regex DnsSubdomain = Compile(AgentConnectorRules.DnsSubdomainPattern);
    public static readonly Regex SecretKey = Compile(AgentConnectorRules.SecretKeyPattern);
    public static readonly Regex LabelValue = Compile(AgentConnectorRules.LabelValuePattern);
    public static readonly Regex Quantity = Compile(AgentConnectorRules.QuantityPattern);

    // In .NET a final '$' also matches before a trailing newline; in the API server's regexes it does not.
    private static Regex Compile(string pattern) =>
        new(pattern.EndsWith('$') ? pattern[..^1] + @"\z" : pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
