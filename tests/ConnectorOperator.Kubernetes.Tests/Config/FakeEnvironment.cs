using ConnectorOperator.Kubernetes.Config;

namespace ConnectorOperator.Kubernetes.Tests.Config;

/// <summary>Environment variables from a dictionary; home and service account folders inside a temp directory.</summary>
internal sealed class FakeEnvironment : IEnvironment, IDisposable
{
    public FakeEnvironment()
    {
        Root = Path.Combine(Path.GetTempPath(), "kcfg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        HomeDirectory = Path.Combine(Root, "home");
        ServiceAccountDirectory = Path.Combine(Root, "serviceaccount");
    }

    public string Root { get; }

    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    public string? HomeDirectory { get; }

    public string ServiceAccountDirectory { get; }

    public string? GetVariable(string name) => Variables.GetValueOrDefault(name);

    public bool FileExists(string path) => File.Exists(path);

    public string ReadAllText(string path) => File.ReadAllText(path);


    /// <summary>Writes a file under <see cref="Root"/> (creating folders) and returns its full path.</summary>
    public string Write(string relativePath, string content)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public string WriteExecutable(string relativePath, string script)
    {
        var path = Write(relativePath, script);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    /// <summary>Sets up the in-cluster variables and service account files.</summary>
    public void MakeInCluster(string host = "10.96.0.1", string port = "443", string token = "sa-token", string? caPem = null, string? ns = "operators")
    {
        Variables["KUBERNETES_SERVICE_HOST"] = host;
        Variables["KUBERNETES_SERVICE_PORT"] = port;
        Write("serviceaccount/token", token);
        if (caPem is not null)
        {
            Write("serviceaccount/ca.crt", caPem);
        }

        if (ns is not null)
        {
            Write("serviceaccount/namespace", ns);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind does no harm.
        }
    }
}
