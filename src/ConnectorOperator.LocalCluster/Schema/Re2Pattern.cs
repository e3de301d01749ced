using System.Text;
using System.Text.RegularExpressions;

namespace ConnectorOperator.LocalCluster.Schema;

/// <summary>
/// A schema <c>pattern</c> compiled to behave as the apiserver's Go RE2 regexp does: linear time, so no input can
/// time a match out (a timeout would surface as a 500), and <c>$</c> only at the very end (.NET's also matches
/// before a final newline, which would let "name\n" through <c>^[a-z]+$</c>).
/// </summary>
internal static class Re2Pattern
{
    public static Regex Compile(string pattern) =>
        new(EndAnchorsAtEnd(pattern), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    /// <summary>Rewrites each unescaped <c>$</c> outside a character class to <c>\z</c>.</summary>
    private static string EndAnchorsAtEnd(string pattern)
    {
        var text = new StringBuilder(pattern.Length + 4);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                text.Append(c).Append(pattern[++i]);
                continue;
            }
            if (inClass)
            {
                inClass = c != ']';
            }
            else if (c == '[')
            {
                inClass = true;
                text.Append(c);
                // A ']' first in a class (after an optional '^') is a literal, not its end.
                if (i + 1 < pattern.Length && pattern[i + 1] == '^') text.Append(pattern[++i]);
                if (i + 1 < pattern.Length && pattern[i + 1] == ']') text.Append(pattern[++i]);
                continue;
            }
            else if (c == '$')
            {
                text.Append(@"\z");
                continue;
            }
            text.Append(c);
        }
        return text.ToString();
    }
}
