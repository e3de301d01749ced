namespace ConnectorOperator.Kubernetes.Config;

/// <summary>The parts of the process environment discovery reads, so tests can fake them.</summary>
public interface IEnvironment
{
    string? GetVariable(string name);

    /// <summary>The user's home directory (for ~/.kube/config), or null when unknown.</summary>
    string? HomeDirectory { get; }

    /// <summary>Where the pod's service account token, ca.crt and namespace files are mounted.</summary>
    string ServiceAccountDirectory { get; }

    bool FileExists(string path);

    string ReadAllText(string path);
}
