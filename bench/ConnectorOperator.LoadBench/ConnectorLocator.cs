namespace ConnectorOperator.LoadBench;

/// <summary>Finds the built connector: an explicit path, the copy next to the bench, or the Release build under src/.</summary>
internal static class ConnectorLocator
{
    public static string? Find(string? explicitPath)
    {
        if (explicitPath is not null)
        {
            return File.Exists(explicitPath) ? Path.GetFullPath(explicitPath) : null;
        }

        var nextToBench = Path.Combine(AppContext.BaseDirectory, "connector.dll");
        if (File.Exists(nextToBench))
        {
            return nextToBench;
        }

        var release = Path.Combine("src", "ConnectorOperator.Connector", "bin", "Release", "net10.0", "connector.dll");
        return File.Exists(release) ? Path.GetFullPath(release) : null;
    }
}
