namespace ConnectorOperator.TestSupport;

/// <summary>Files of the repository the tests run from (found by walking up to ConnectorOperator.sln).</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relativePath) => Path.Combine(Root, relativePath);

    public static string Read(string relativePath) => File.ReadAllText(PathOf(relativePath));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ConnectorOperator.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No ConnectorOperator.sln above {AppContext.BaseDirectory}.");
    }
}
