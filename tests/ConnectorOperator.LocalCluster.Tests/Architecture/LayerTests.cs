using System.Text.RegularExpressions;

namespace ConnectorOperator.LocalCluster.Tests.Architecture;

/// <summary>
/// The API server double's folders are layers (docs/architecture.md, "The API server double's layers"): each
/// namespace uses only the ones below it, and a folder is its namespace.
/// </summary>
public sealed partial class LayerTests
{
    private const string Root = "ConnectorOperator.LocalCluster";

    /// <summary>Bottom to top; a namespace may use only those before it.</summary>
    private static readonly string[] Layers =
    [
        "Primitives",
        "Schema",
        "Api",
        "Selectors",
        "Security",
        "Storage",
        "Authorization",
        "GarbageCollection",
        "Writes.Patching",
        "Writes.Validation",
        "Writes.Admission",
        "Writes",
        "Representation",
        "Faults",
        "Http",
        "",
        "Kubelet",
        "Kubelet.FakeConnectors",
    ];

    private static readonly NamespaceGraph Graph = NamespaceGraph.Of(typeof(ApiServerDouble).Assembly, Root);

    [Fact]
    public void The_double_has_no_namespace_cycle()
    {
        var cycle = Graph.FindCycle();

        Assert.True(cycle is null, $"Namespace cycle: {string.Join(" → ", cycle ?? [])}");
    }

    [Fact]
    public void Every_namespace_of_the_double_has_a_place_in_the_layer_map()
    {
        var unplaced = Graph.Namespaces.Where(ns => Rank(ns) < 0).ToList();

        Assert.True(unplaced.Count == 0, $"Not in the layer map (LayerTests.Layers and docs/architecture.md): {string.Join(", ", unplaced)}");
    }

    [Fact]
    public void Each_layer_of_the_double_uses_only_the_layers_below_it()
    {
        var upward = Graph.Edges
            .Where(e => Rank(e.Key.From) >= 0 && Rank(e.Key.To) >= Rank(e.Key.From))
            .Select(e => $"{Short(e.Key.From)} uses {Short(e.Key.To)} ({string.Join(", ", e.Value.Take(3))})")
            .ToList();

        Assert.True(upward.Count == 0, "Uses of a layer at or above: " + string.Join("; ", upward));
    }

    [Fact]
    public void The_layer_map_follows_the_references_it_is_checked_against()
    {
        // Guards the check itself: the write pipeline is known to use storage, and HTTP the write pipeline.
        Assert.Contains($"{Root}.Storage", Graph.UsedBy($"{Root}.Writes"));
        Assert.Contains($"{Root}.Writes", Graph.UsedBy($"{Root}.Http"));
        Assert.Contains($"{Root}.Primitives", Graph.UsedBy($"{Root}.Storage"));
    }

    [Fact]
    public void Each_source_folder_of_the_double_is_its_namespace()
    {
        var project = RepositoryFiles.PathOf(Path.Combine("src", Root));
        var misplaced = new List<string>();
        foreach (var file in Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(project, file);
            if (relative.Split(Path.DirectorySeparatorChar)[0] is "bin" or "obj")
            {
                continue;
            }
            var folder = Path.GetDirectoryName(relative)!.Replace(Path.DirectorySeparatorChar, '.');
            var expected = folder.Length == 0 ? Root : $"{Root}.{folder}";
            var declared = FileScopedNamespace().Match(File.ReadAllText(file)).Groups[1].Value;
            if (declared != expected)
            {
                misplaced.Add($"{relative} declares '{declared}', its folder is '{expected}'");
            }
        }

        Assert.True(misplaced.Count == 0, string.Join("; ", misplaced));
    }

    private static int Rank(string ns) => Array.IndexOf(Layers, ns == Root ? string.Empty : ns[(Root.Length + 1)..]);

    private static string Short(string ns) => ns == Root ? "(root)" : ns[(Root.Length + 1)..];

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex FileScopedNamespace();
}
