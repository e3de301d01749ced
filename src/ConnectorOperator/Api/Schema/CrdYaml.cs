using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ConnectorOperator.Api.Schema;

/// <summary>
/// Writes JSON trees as block YAML with object keys in ordinal order (as controller-gen does), so the same input
/// always gives the same bytes. Uses the emitter, not the reflection serializer, so it keeps working trimmed.
/// </summary>
public static partial class CrdYaml
{
    public static string Write(JsonNode document, string? headerComment = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        if (headerComment is not null)
        {
            foreach (var line in headerComment.Split('\n'))
            {
                writer.Write(line.Length == 0 ? "#\n" : "# " + line + "\n");
            }
        }
        var emitter = new Emitter(writer, new EmitterSettings(
            bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false, maxSimpleKeyLength: 1024, newLine: "\n"));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        Emit(emitter, document);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    private static void Emit(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case null:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
                break;
            case JsonObject map:
                emitter.Emit(new MappingStart(null, null, isImplicit: true, map.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    EmitString(emitter, key);
                    Emit(emitter, value);
                }
                emitter.Emit(new MappingEnd());
                break;
            case JsonArray list:
                emitter.Emit(new SequenceStart(null, null, isImplicit: true, list.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in list)
                {
                    Emit(emitter, item);
                }
                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                EmitString(emitter, value.GetValue<string>());
                break;
            default:
                // Numbers and booleans: their JSON text is also their YAML text.
                emitter.Emit(new Scalar(null, null, node.ToJsonString(), ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));
                break;
        }
    }

    private static void EmitString(IEmitter emitter, string text)
    {
        // A plain scalar that a YAML reader would resolve to null, a boolean, a number or a date must be quoted.
        var style = LooksLikeAnotherType(text) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any;
        emitter.Emit(new Scalar(null, null, text, style, isPlainImplicit: style == ScalarStyle.Any, isQuotedImplicit: true));
    }

    private static bool LooksLikeAnotherType(string text) => text.Length == 0 || ReservedPlainScalar().IsMatch(text);

    [GeneratedRegex(@"^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?\.?[0-9].*|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex ReservedPlainScalar();
}
