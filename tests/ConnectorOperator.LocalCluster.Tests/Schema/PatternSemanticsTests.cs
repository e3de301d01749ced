using ConnectorOperator.LocalCluster.Schema;

namespace ConnectorOperator.LocalCluster.Tests.Schema;

/// <summary>Schema patterns match as the apiserver's Go RE2 regexps do, not as .NET's defaults would.</summary>
public class PatternSemanticsTests
{
    [Theory]
    [InlineData("^[a-z]+$", "name\n", false)]
    [InlineData("^[a-z]+$", "name", true)]
    [InlineData("^[$]+$", "$$", true)]
    [InlineData(@"^\$[a-z]+$", "$ab", true)]
    [InlineData("^[]a]+$", "]a", true)]
    [InlineData("^[^]a]+$", "b", true)]
    public void Dollar_matches_only_at_the_very_end(string pattern, string input, bool matches)
    {
        Assert.Equal(matches, Re2Pattern.Compile(pattern).IsMatch(input));
    }

    [Theory]
    [InlineData("support-bot", true)]
    [InlineData("bot\0", false)]
    [InlineData("bot\u200B", false)]
    [InlineData("bot\u00A0x", false)]
    [InlineData("日本-🙂", true)]
    public void Unicode_categories_are_read_as_re2_reads_them(string input, bool matches)
    {
        Assert.Equal(matches, Re2Pattern.Compile(@"^[^\p{Cc}\p{Cf}\p{Z}]+$").IsMatch(input));
    }

    [Fact]
    public void A_long_input_cannot_time_a_match_out()
    {
        // Catastrophic for a backtracking engine; linear for RE2 and for the double.
        Assert.DoesNotMatch(Re2Pattern.Compile("^(a+)+$"), new string('a', 50_000) + "!");
    }

    [Fact]
    public void A_backreference_is_not_a_valid_pattern()
    {
        Assert.Throws<NotSupportedException>(() => Re2Pattern.Compile(@"^(a)\1$"));
    }
}
