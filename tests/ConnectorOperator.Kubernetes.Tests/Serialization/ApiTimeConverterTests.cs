using System.Text;
using System.Text.Json;
using ConnectorOperator.Kubernetes.Serialization;

namespace ConnectorOperator.Kubernetes.Tests.Serialization;

public sealed class ApiTimeConverterTests
{
    private static DateTime Read(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        return new ApiTimeConverter().Read(ref reader, typeof(DateTime), JsonSerializerOptions.Default);
    }

    [Theory]
    [InlineData("\"2026-12-04T10:00:00Z\"", "2026-12-04T10:00:00.0000000Z")]
    [InlineData("\"2026-12-04T10:00:00.123456Z\"", "2026-12-04T10:00:00.1234560Z")]
    [InlineData("\"2026-12-04T10:00:00.123456789Z\"", "2026-12-04T10:00:00.1234567Z")]
    [InlineData("\"2026-12-04T12:00:00+02:00\"", "2026-12-04T10:00:00.0000000Z")]
    [InlineData("\"2026-12-04T10:00:00\"", "2026-12-04T10:00:00.0000000Z")]
    public void Every_rfc3339_form_the_api_sends_reads_as_the_same_utc_instant(string json, string expected)
    {
        var time = Read(json);
        Assert.Equal(DateTimeKind.Utc, time.Kind);
        Assert.Equal(expected, time.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_time_that_is_not_a_string_is_a_json_error() =>
        Assert.Throws<JsonException>(() => Read("12"));
}
