using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Primitives;
using Microsoft.AspNetCore.Http;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ConnectorOperator.LocalCluster.Http;

/// <summary>Request bodies as JSON nodes: JSON, or YAML (apply patches, kubectl-style manifests).</summary>
internal static class BodyParser
{
    public static async Task<string> ReadTextAsync(HttpRequest request, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body);
        return await reader.ReadToEndAsync(ct).ConfigureAwait(false);
    }

    /// <exception cref="ApiStatusException">400 when the body is not well-formed.</exception>
    public static JsonNode? Parse(string text, bool yaml)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return yaml ? FromYaml(text) : GoJsonDecoder.Parse(text);
        }
        catch (Exception e) when (e is JsonException or YamlException)
        {
            throw StatusObjects.BadRequest($"error decoding request body: {e.Message}");
        }
    }

    /// <exception cref="ApiStatusException">400 unless the body is a JSON object.</exception>
    public static JsonObject ParseObject(string text, bool yaml) =>
        Parse(text, yaml) as JsonObject ?? throw StatusObjects.BadRequest("Object 'Kind' is missing in request body: the body must be a JSON object");

    /// <summary>Every document of a (multi-document) YAML manifest that is an object.</summary>
    public static IReadOnlyList<JsonObject> ParseManifests(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return [.. stream.Documents.Select(d => Convert(d.RootNode)).OfType<JsonObject>()];
    }

    private static JsonNode? FromYaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (key, value) in map.Children)
                {
                    obj[((YamlScalarNode)key).Value ?? string.Empty] = Convert(value);
                }

                return obj;
            case YamlSequenceNode sequence:
                return new JsonArray([.. sequence.Children.Select(Convert)]);
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                return null;
        }
    }

    // YAML 1.2 core schema for plain scalars; quoted scalars are always strings.
    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            return JsonValue.Create(value);
        }

        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (value.Length > 0 && (char.IsDigit(value[0]) || value[0] is '-' or '+' or '.')
            && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(value);
    }
}
