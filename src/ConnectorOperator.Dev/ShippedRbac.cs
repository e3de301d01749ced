using ConnectorOperator.LocalCluster;

namespace ConnectorOperator.Dev;

/// <summary>
/// The RBAC and admission policy the repository ships (config/rbac and config/policy, the files their
/// kustomization.yaml lists), installed into a local cluster as <c>kubectl apply -k config/default</c> installs
/// them, so the operator runs there under its ServiceAccount and nothing more.
/// </summary>
public static class ShippedRbac
{
    public const string OperatorNamespace = "connector-operator-system";
    public const string ServiceAccount = "connector-operator";

    /// <summary>The operator's user name once authenticated by its ServiceAccount token.</summary>
    public static string OperatorUser => $"system:serviceaccount:{OperatorNamespace}:{ServiceAccount}";

    /// <summary>Creates the operator's namespace, config/rbac and config/policy; returns a token of the operator's ServiceAccount.</summary>
    public static string Install(ApiServerDouble api, string repositoryRoot)
    {
        ArgumentNullException.ThrowIfNull(api);
        if (api.GetObject("v1", "Namespace", null, OperatorNamespace) is null)
        {
            api.CreateFromYaml($"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {OperatorNamespace}\n");
        }
        foreach (var directory in new[] { "rbac", "policy" })
        {
            foreach (var file in KustomizationResources(Path.Combine(repositoryRoot, "config", directory)))
            {
                api.CreateFromYaml(File.ReadAllText(file), OperatorNamespace);
            }
        }
        return api.IssueServiceAccountToken(OperatorNamespace, ServiceAccount, TimeSpan.FromDays(1));
    }

    /// <summary>The files under <c>resources:</c> in DIR/kustomization.yaml (plain file entries, as ours are).</summary>
    private static IEnumerable<string> KustomizationResources(string directory)
    {
        var inResources = false;
        foreach (var line in File.ReadLines(Path.Combine(directory, "kustomization.yaml")))
        {
            if (line.StartsWith("resources:", StringComparison.Ordinal))
            {
                inResources = true;
            }
            else if (inResources && line.StartsWith("- ", StringComparison.Ordinal))
            {
                yield return Path.Combine(directory, line[2..].Trim());
            }
            else if (line.Length > 0 && !char.IsWhiteSpace(line[0]) && !line.StartsWith('#'))
            {
                inResources = false;
            }
        }
    }
}
