using YamlDotNet.RepresentationModel;

namespace ConnectorOperator.Kubernetes.Config;

/// <summary>
/// Typed reads from one kubeconfig mapping (a cluster, user, context...). <see cref="Where"/> prefixes every
/// error, e.g. <c>kubeconfig /x/config: user "alice"</c>, so the message says which file and entry is wrong.
/// </summary>
internal sealed class YamlSection(YamlMappingNode node, string where)
{
    public string Where { get; } = where;

    public YamlMappingNode Node { get; } = node;

    public bool Has(string key) => Find(key) is not null and not YamlScalarNode { Value: null or "" or "~" or "null" };

    public string? String(string key) => Find(key) switch
    {
        null => null,
        YamlScalarNode scalar => IsNull(scalar) ? null : scalar.Value,
        _ => throw Error($"field \"{key}\" must be a string"),
    };

    public bool Bool(string key)
    {
        var value = String(key);
        if (value is null)
        {
            return false;
        }

        return bool.TryParse(value, out var parsed) ? parsed : throw Error($"field \"{key}\" must be true or false, not \"{value}\"");
    }

    public YamlSection? Section(string key, string where) => Find(key) switch
    {
        null => null,
        YamlScalarNode scalar when IsNull(scalar) => null,
        YamlMappingNode mapping => new YamlSection(mapping, where),
        _ => throw Error($"field \"{key}\" must be a mapping"),
    };

    public IReadOnlyList<YamlNode> Sequence(string key) => Find(key) switch
    {
        null => [],
        YamlScalarNode scalar when IsNull(scalar) => [],
        YamlSequenceNode sequence => sequence.Children.ToList(),
        _ => throw Error($"field \"{key}\" must be a list"),
    };

    public IReadOnlyList<string> StringList(string key) =>
        Sequence(key).Select(item => item is YamlScalarNode { Value: { } value }
            ? value
            : throw Error($"field \"{key}\" must be a list of strings")).ToList();

    public KubeconfigException Error(string problem) => new($"{Where}: {problem}");

    private YamlNode? Find(string key) =>
        Node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null";
}
