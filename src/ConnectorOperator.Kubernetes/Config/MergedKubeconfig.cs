using YamlDotNet.RepresentationModel;

namespace ConnectorOperator.Kubernetes.Config;

/// <summary>A YAML entry together with the file that defined it (relative paths resolve against that file).</summary>
internal sealed record DefinedEntry(YamlMappingNode Node, string File)
{
    public string Directory => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(File)) ?? ".";
}

/// <summary>
/// Several kubeconfig files seen as one, as KUBECONFIG=a:b does: per name the first file defining it wins,
/// and current-context comes from the first file that sets one.
/// </summary>
internal sealed class MergedKubeconfig
{
    private MergedKubeconfig(IReadOnlyList<string> files)
    {
        Files = files;
    }

    public IReadOnlyList<string> Files { get; }

    /// <summary>The file list as a KUBECONFIG value, for error messages.</summary>
    public string FileList => string.Join(Path.PathSeparator, Files);

    public string? CurrentContext { get; private set; }

    public Dictionary<string, DefinedEntry> Clusters { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, DefinedEntry> Users { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, DefinedEntry> Contexts { get; } = new(StringComparer.Ordinal);

    public static MergedKubeconfig Merge(IReadOnlyList<KubeconfigFile> files)
    {
        var merged = new MergedKubeconfig(files.Select(f => f.Path).ToList());
        foreach (var file in files)
        {
            if (merged.CurrentContext is null && !string.IsNullOrEmpty(file.CurrentContext))
            {
                merged.CurrentContext = file.CurrentContext;
            }

            AddFirstWins(file.Clusters, file.Path, merged.Clusters);
            AddFirstWins(file.Users, file.Path, merged.Users);
            AddFirstWins(file.Contexts, file.Path, merged.Contexts);
        }

        return merged;
    }

    private static void AddFirstWins(Dictionary<string, YamlMappingNode> from, string file, Dictionary<string, DefinedEntry> into)
    {
        foreach (var (name, node) in from)
        {
            into.TryAdd(name, new DefinedEntry(node, file));
        }
    }
}
