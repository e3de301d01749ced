using System.Text.Json.Nodes;

namespace ConnectorOperator.Tests.Validation.Fuzz;

/// <summary>The values the fuzzer draws from: characters that hide, characters that merely look foreign, edge numbers.</summary>
internal static class FuzzValues
{
    /// <summary>Control (C0, DEL, C1), format (zero-width, bidi, BOM, tags outside the BMP) and separator characters.</summary>
    public static readonly string[] Hidden =
    [
        "\0", "\u0001", "\u0007", "\u001B", "\u001F", "\u007F", "\u0085", "\u009F", "\t", "\n", "\r", "\v", "\f",
        "\u200B", "\u200C", "\u200D", "\u200E", "\u202E", "\u2066", "\u2069", "\uFEFF", "\u00AD", "\U000E0001", "\U0001D173",
        " ", "\u00A0", "\u1680", "\u2007", "\u2028", "\u2029", "\u3000",
    ];

    /// <summary>Visible characters of other scripts: letters, RTL, combining marks, emoji, symbols.</summary>
    public static readonly string[] Foreign =
    [
        "é", "ß", "ø", "日本", "бот", "ボット", "بوت", "שלום", "e\u0301", "🙂", "🤖", "𝔘", "Ω", "٣", "™", "①", "\uFFFD", "-", "_", ".", "/", ":", "@",
    ];

    /// <summary>A family emoji: visible, but joined with U+200D (a format character).</summary>
    public const string JoinedEmoji = "👨\u200D👩\u200D👧";

    public static readonly string[] Numbers =
    [
        "0", "1", "2", "3", "-1", "50", "51", "1000", "1001", "-2147483648", "2147483647", "2147483648", "-2147483649",
        "9007199254740991", "9007199254740992", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "123456789012345678901234567890", "-123456789012345678901234567890", "1.5", "-0.5", "1e400", "2.5e-3",
    ];

    /// <summary>Quantities, well-formed and not: suffixes, exponents, signs, a lone dot.</summary>
    public static readonly string[] Quantities = ["500m", "256Mi", "1.5", ".5", "2e3", "1E-3", "+1", "1Ki", "1k", "1K", "1mi", "1..5", ".", "1e", "0x10", "1,5", "Infinity", "NaN"];

    /// <summary>A value of another JSON type than <paramref name="kind"/> takes.</summary>
    public static JsonNode? WrongType(FieldKind kind, Random random)
    {
        JsonNode?[] candidates = kind switch
        {
            FieldKind.Integer => ["5", true, new JsonObject(), new JsonArray(1), JsonNode.Parse("1.5")],
            FieldKind.Flag => ["true", 1, new JsonObject(), new JsonArray()],
            FieldKind.Nested or FieldKind.Map => ["x", 5, new JsonArray(), false],
            FieldKind.List => [new JsonObject(), "x", 3],
            _ => [42, true, new JsonObject(), new JsonArray("x"), JsonNode.Parse("-1e400")],
        };
        return candidates[random.Next(candidates.Length)];
    }

    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
