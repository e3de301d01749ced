using System.Globalization;
using System.Text;

namespace ConnectorOperator.Validation;

/// <summary>
/// The CRD's character rules, checked by code point as the API server's RE2 does (a .NET regex sees a format
/// character outside the BMP as two surrogates and lets it through). A lone surrogate counts as a control
/// character: it has no UTF-8 form, so no API server could have stored it.
/// </summary>
internal static class SpecText
{
    /// <summary><see cref="Api.AgentConnectorRules.IdentifierPattern"/>: non-empty, no whitespace, control or format characters.</summary>
    public static bool IsIdentifier(string value) => value.Length > 0 && IsIdentifierOrEmpty(value);

    public static bool IsIdentifierOrEmpty(string value) => Runes(value).All(r => r is { } rune && !IsHidden(rune) && !IsSeparator(rune));

    /// <summary><see cref="Api.AgentConnectorRules.TextPattern"/>: any character but controls other than tab and newline.</summary>
    public static bool IsText(string value) =>
        Runes(value).All(r => r is { } rune && (rune.Value is '\t' or '\n' || Rune.GetUnicodeCategory(rune) != UnicodeCategory.Control));

    /// <summary><see cref="Api.AgentConnectorRules.HttpUrlPattern"/>.</summary>
    public static bool IsHttpUrl(string value)
    {
        var rest = value.StartsWith("https://", StringComparison.Ordinal) ? value[8..]
            : value.StartsWith("http://", StringComparison.Ordinal) ? value[7..]
            : null;
        return rest is not null && IsIdentifier(rest);
    }

    /// <summary>Characters, as the API server's maxLength counts them (code points, not UTF-16 units).</summary>
    public static int Length(string value) => value.EnumerateRunes().Count();

    /// <summary>The value with invisible characters spelled out (\u0000), so a message shows what is wrong and carries no NUL itself.</summary>
    public static string Escape(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var r in Runes(value))
        {
            if (r is not { } rune)
            {
                text.Append("\\uFFFD");
            }
            else if (IsHidden(rune) || (IsSeparator(rune) && rune.Value != ' '))
            {
                text.Append(rune.IsBmp ? $"\\u{rune.Value:X4}" : $"\\U{rune.Value:X8}");
            }
            else
            {
                text.Append(rune.ToString());
            }
        }
        return text.ToString();
    }

    private static bool IsHidden(Rune rune) => Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format;

    private static bool IsSeparator(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    /// <summary>The code points of a string; null for a lone surrogate.</summary>
    private static IEnumerable<Rune?> Runes(string value)
    {
        for (var i = 0; i < value.Length;)
        {
            if (Rune.DecodeFromUtf16(value.AsSpan(i), out var rune, out var used) == System.Buffers.OperationStatus.Done)
            {
                yield return rune;
            }
            else
            {
                yield return null;
            }
            i += used;
        }
    }
}
