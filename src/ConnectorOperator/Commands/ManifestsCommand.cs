using System.CommandLine;
using ConnectorOperator.Api;
using ConnectorOperator.Api.Schema;

namespace ConnectorOperator.Commands;

/// <summary><c>manifests --output config/crd</c>: writes the generated CRD and its kustomization.</summary>
internal static class ManifestsCommand
{
    public const string Header = "Generated from src/ConnectorOperator/Api by `make manifests`. Do not edit.";

    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--output", "-o")
        {
            Description = "Folder to write bases/<crd>.yaml and kustomization.yaml into.",
            DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("config", "crd")),
        };
        var command = new Command("manifests", "Write the AgentConnector CustomResourceDefinition generated from the C# types.")
        {
            output,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var folder = parseResult.GetValue(output)!;
            foreach (var file in await WriteAsync(folder.FullName, cancellationToken))
            {
                Console.WriteLine($"wrote {Path.GetRelativePath(Environment.CurrentDirectory, file)}");
            }
            return 0;
        });
        return command;
    }

    /// <summary>The files and their contents, relative to the output folder.</summary>
    public static IReadOnlyList<(string RelativePath, string Content)> Render()
    {
        var crdFile = "bases/" + AgentConnectorCrd.FileName;
        var crd = CrdYaml.Write(CrdGenerator.Generate(AgentConnectorCrd.Definition), Header);
        var kustomization = $"""
            # {Header}
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources:
            - {crdFile}

            """;
        return [(crdFile, crd), ("kustomization.yaml", kustomization)];
    }

    private static async Task<List<string>> WriteAsync(string folder, CancellationToken cancellationToken)
    {
        var written = new List<string>();
        foreach (var (relativePath, content) in Render())
        {
            var path = Path.Combine(folder, relativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, content, cancellationToken);
            written.Add(path);
        }
        return written;
    }
}
