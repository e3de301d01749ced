using System.Text.RegularExpressions;
using ConnectorOperator.Api;

namespace ConnectorOperator.Validation;

/// <summary>The CRD's patterns as .NET regexes that match the way the API server's do.</summary>
internal static class SpecPatterns
{
    public static readonly Regex Digits = Compile(AgentConnectorRules.DigitsPattern);
    public static readonly Regex NoWhitespace = Compile(AgentConnectorRules.NoWhitespacePattern);
    public static readonly Regex HttpUrl = Compile(AgentConnectorRules.HttpUrlPattern);
    public static readonly Regex SecretName = Compile(AgentConnectorRules.SecretNamePattern);
    public static readonly Regex SecretKey = Compile(AgentConnectorRules.SecretKeyPattern);

    // In .NET a final '$' also matches before a trailing newline; in the API server's regexes it does not.
    private static Regex Compile(string pattern) =>
        new(pattern.EndsWith('$') ? pattern[..^1] + @"\z" : pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
