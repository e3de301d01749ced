using System.Net;
using System.Text;
using ConnectorOperator.LocalCluster.Tests.Support;

namespace ConnectorOperator.LocalCluster.Tests;

/// <summary>Odd but well-formed JSON bodies are decoded as the apiserver's Go decoder does them, never answered with a 500.</summary>
public sealed class RequestBodyDecodingTests : ApiServerTest
{
    private async Task<(HttpStatusCode Code, string Body)> PostConfigMapAsync(string name, string data)
    {
        var json = "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"" + name + "\"}, \"data\": {" + data + "}}";
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Client.Http.PostAsync("/api/v1/namespaces/default/configmaps", content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(@"""bot\ud800x""", "bot\uFFFDx")]
    [InlineData(@"""bot\udc00""", "bot\uFFFD")]
    [InlineData(@"""\ud83d\ude42 and \ud83d""", "🙂 and \uFFFD")]
    [InlineData(@"""tab\tquote\""slash\/""", "tab\tquote\"slash/")]
    public async Task An_unpaired_surrogate_escape_becomes_the_replacement_character(string escaped, string stored)
    {
        var (code, body) = await PostConfigMapAsync("surrogates", $"\"key\": {escaped}");

        Assert.Equal(HttpStatusCode.Created, code);
        var fetched = (await Client.GetAsync("/api/v1/namespaces/default/configmaps/surrogates")).Expect(HttpStatusCode.OK);
        Assert.True(stored == fetched.Json["data"]!["key"]!.GetValue<string>(), body);
    }

    [Fact]
    public async Task Of_a_repeated_key_the_last_value_wins()
    {
        var (code, _) = await PostConfigMapAsync("repeated", "\"key\": \"first\", \"key\": \"last\"");

        Assert.Equal(HttpStatusCode.Created, code);
        var fetched = (await Client.GetAsync("/api/v1/namespaces/default/configmaps/repeated")).Expect(HttpStatusCode.OK);
        Assert.Equal("last", fetched.Json["data"]!["key"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("\"key\": \"a\"} trailing")]
    [InlineData("\"key\": ")]
    public async Task A_malformed_body_is_a_bad_request(string data)
    {
        var (code, body) = await PostConfigMapAsync("malformed", data);

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Contains("error decoding request body", body, StringComparison.Ordinal);
    }
}
