using System.Reflection;

namespace ConnectorOperator.Dev;

/// <summary>Where things are in the repository this launcher runs from: the root, <c>.local/</c>, and the built connector.</summary>
public sealed class RepositoryLayout(string root)
{
    public const string SolutionFile = "ConnectorOperator.sln";

    public string Root { get; } = root;

    /// <summary>Generated local state (kubeconfig, logs); <c>make clean</c> removes it.</summary>
    public string LocalDirectory => Path.Combine(Root, ".local");

    public string KubeconfigPath => Path.Combine(LocalDirectory, "kubeconfig");

    public string LogDirectory => Path.Combine(LocalDirectory, "logs");

    /// <summary>The repository above <paramref name="start"/> (the current directory, then this assembly's directory), or null.</summary>
    public static RepositoryLayout? Find(string? start = null)
    {
        foreach (var candidate in new[] { start, Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = candidate is null ? null : new DirectoryInfo(candidate); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile))) return new RepositoryLayout(dir.FullName);
            }
        }
        return null;
    }

    /// <summary>The build configuration of this launcher; the connector is expected built the same way.</summary>
    public static string Configuration =>
        typeof(RepositoryLayout).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration is { Length: > 0 } c ? c : "Debug";

    /// <summary><c>src/ConnectorOperator.Connector/bin/{configuration}/net10.0/connector.dll</c>.</summary>
    public string ConnectorAssembly(string configuration) =>
        Path.Combine(Root, "src", "ConnectorOperator.Connector", "bin", configuration, "net10.0", "connector.dll");
}
