using System.Text.Json.Nodes;
using ConnectorOperator.Tests.Support;

namespace ConnectorOperator.Tests.Packaging;

/// <summary>The objects `kubectl apply -k DIR` would create, found by kind and name.</summary>
internal sealed class RenderedManifests(IReadOnlyList<JsonObject> objects)
{
    public IReadOnlyList<JsonObject> Objects { get; } = objects;

    public static RenderedManifests Kustomize(string relativeDirectory) =>
        new(YamlDocuments.Parse(Kubectl.Kustomize(RepositoryFiles.PathOf(relativeDirectory))));

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => (string?)o["kind"] == kind);

    public JsonObject Single(string kind, string name) =>
        Assert.Single(OfKind(kind), o => (string?)o["metadata"]?["name"] == name);

    /// <summary>The Roles and ClusterRoles bound to a service account, each with the namespace it applies in (null: all).</summary>
    public IEnumerable<(JsonObject Role, string? Namespace)> RolesBoundTo(string serviceAccount, string serviceAccountNamespace)
    {
        foreach (var binding in OfKind("ClusterRoleBinding").Concat(OfKind("RoleBinding")))
        {
            var bound = (binding["subjects"]?.AsArray() ?? []).Any(s =>
                (string?)s!["kind"] == "ServiceAccount" && (string?)s["name"] == serviceAccount && (string?)s["namespace"] == serviceAccountNamespace);
            if (!bound) continue;
            var bindingNamespace = (string?)binding["metadata"]!["namespace"];
            var roleKind = (string)binding["roleRef"]!["kind"]!;
            var roleName = (string)binding["roleRef"]!["name"]!;
            var role = roleKind == "ClusterRole"
                ? Single("ClusterRole", roleName)
                : Assert.Single(OfKind("Role"), r => (string?)r["metadata"]!["name"] == roleName && (string?)r["metadata"]!["namespace"] == bindingNamespace);
            yield return (role, (string?)binding["kind"] == "ClusterRoleBinding" ? null : bindingNamespace);
        }
    }
}
