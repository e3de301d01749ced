using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ConnectorOperator.Kubernetes.Config;

/// <summary>One parsed kubeconfig file: its named clusters, users and contexts, each still raw YAML.</summary>
internal sealed class KubeconfigFile
{
    private KubeconfigFile(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public string? CurrentContext { get; private set; }

    public Dictionary<string, YamlMappingNode> Clusters { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, YamlMappingNode> Users { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, YamlMappingNode> Contexts { get; } = new(StringComparer.Ordinal);

    public static KubeconfigFile Load(string path, IEnvironment environment)
    {
        string text;
        try
        {
            text = environment.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KubeconfigException($"kubeconfig {path}: cannot be read: {ex.Message}", ex);
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new KubeconfigException($"kubeconfig {path}: invalid YAML at line {ex.Start.Line}: {ex.Message}", ex);
        }

        var file = new KubeconfigFile(path);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode)
        {
            return file; // An empty file is a valid, empty kubeconfig.
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new KubeconfigException($"kubeconfig {path}: the document must be a mapping");
        }

        var top = new YamlSection(root, $"kubeconfig {path}");
        file.CurrentContext = top.String("current-context");
        ReadNamed(top, "clusters", "cluster", file.Clusters);
        ReadNamed(top, "users", "user", file.Users);
        ReadNamed(top, "contexts", "context", file.Contexts);
        return file;
    }

    /// <summary>Reads a list of <c>{name: x, &lt;kind&gt;: {...}}</c>; within one file the first entry of a name wins.</summary>
    private static void ReadNamed(YamlSection top, string listKey, string kind, Dictionary<string, YamlMappingNode> into)
    {
        foreach (var item in top.Sequence(listKey))
        {
            if (item is not YamlMappingNode entryNode)
            {
                throw top.Error($"every entry of \"{listKey}\" must be a mapping");
            }

            var entry = new YamlSection(entryNode, top.Where);
            var name = entry.String("name");
            if (string.IsNullOrEmpty(name))
            {
                throw top.Error($"an entry of \"{listKey}\" has no name");
            }

            var body = entry.Section(kind, $"{top.Where}: {kind} \"{name}\"")?.Node ?? new YamlMappingNode();
            into.TryAdd(name, body);
        }
    }
}
