using System.Reflection;
using ConnectorOperator.Contracts;

namespace ConnectorOperator.Tests.Contracts;

public sealed class CustomConfigurationEntryReadingTests
{
    [Fact]
    public void Every_catalogue_key_has_a_constant_and_no_constant_is_invented()
    {
        var constants = typeof(CustomConfigurationKeys).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (string)f.GetRawConstantValue()!)
            .Order(StringComparer.Ordinal);
        Assert.Equal(CustomConfigurationCatalogue.Entries.Select(e => e.Key).Order(StringComparer.Ordinal), constants);
    }

    [Fact]
    public void Get_finds_a_known_key_and_throws_for_any_other()
    {
        Assert.Equal(CustomConfigurationKeys.MessageDelay, CustomConfigurationCatalogue.Get(CustomConfigurationKeys.MessageDelay).Key);
        Assert.Throws<KeyNotFoundException>(() => CustomConfigurationCatalogue.Get("MessageDelay"));
    }

    [Fact]
    public void Typed_defaults_read_the_default_in_the_entrys_unit()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(300), CustomConfigurationCatalogue.Get(CustomConfigurationKeys.MessageDelay).DefaultDuration);
        Assert.Equal(TimeSpan.FromMinutes(30), CustomConfigurationCatalogue.Get(CustomConfigurationKeys.MaxConsumerMessageDelay).DefaultDuration);
        Assert.Equal(5, CustomConfigurationCatalogue.Get(CustomConfigurationKeys.MaxEscalationRetries).DefaultInteger);
        Assert.False(CustomConfigurationCatalogue.Get(CustomConfigurationKeys.SkipAgentMessage).DefaultBoolean);
        Assert.True(CustomConfigurationCatalogue.Get(CustomConfigurationKeys.EnableAccessibility).DefaultBoolean);
    }

    [Fact]
    public void Only_time_counted_integers_are_durations()
    {
        Assert.True(CustomConfigurationCatalogue.Get(CustomConfigurationKeys.RingAcceptWait).IsDuration);
        Assert.False(CustomConfigurationCatalogue.Get(CustomConfigurationKeys.MessageResendMaxRetries).IsDuration);
        Assert.Throws<InvalidOperationException>(() => CustomConfigurationCatalogue.Get(CustomConfigurationKeys.MessageResendMaxRetries).DefaultDuration);
    }

    [Fact]
    public void Reading_a_value_of_the_wrong_kind_or_without_a_default_throws()
    {
        Assert.Throws<InvalidOperationException>(() => CustomConfigurationCatalogue.Get(CustomConfigurationKeys.TileDisplay).DefaultInteger);
        var noDefault = Assert.Throws<InvalidOperationException>(() => CustomConfigurationCatalogue.Get(CustomConfigurationKeys.ApigeeAudience).DefaultBoolean);
        Assert.Equal("apigee_audience has no default", noDefault.Message);
    }

    [Fact]
    public void Reading_a_value_validation_refuses_throws_a_format_error_naming_the_key()
    {
        var entry = CustomConfigurationCatalogue.Get(CustomConfigurationKeys.MessageDelay);

        Assert.Equal(TimeSpan.FromMilliseconds(60_000), entry.ToDuration("60000"));
        var error = Assert.Throws<FormatException>(() => entry.ToDuration("60001"));
        Assert.StartsWith("messageDelay: 60001 is out of range", error.Message, StringComparison.Ordinal);
    }
}
