using System.Text.Json.Nodes;
using ConnectorOperator.Tests.Support;

namespace ConnectorOperator.Tests.Packaging;

/// <summary>The objects `kubectl apply -k DIR` would create, found by kind and name.</summary>
internal sealed class RenderedManifests(IReadOnlyList<JsonObject> objects)
{
    public IReadOnlyList<JsonObject> Objects { get; } = objects;

    public static RenderedManifests Kustomize(string relativeDirectory) =>
        new(YamlDocuments.Parse(Kubectl.Kustomize(RepositoryFiles.PathOf(relativeDirectory))));

    /// <summary>
    /// What <c>helm template RELEASE charts/connector-operator -n NAMESPACE -s templates/T ...</c> renders: values.yaml
    /// with <paramref name="values"/> merged over it (maps merge, anything else replaces).
    /// </summary>
    public static RenderedManifests Chart(string release, string releaseNamespace, JsonObject? values, params string[] templates)
    {
        const string chart = "charts/connector-operator";
        var metadata = YamlDocuments.ParseSingle(RepositoryFiles.Read($"{chart}/Chart.yaml"));
        var root = new JsonObject
        {
            ["Values"] = Merge(YamlDocuments.ParseSingle(RepositoryFiles.Read($"{chart}/values.yaml")), values),
            ["Release"] = new JsonObject { ["Name"] = release, ["Namespace"] = releaseNamespace, ["Service"] = "Helm" },
            ["Chart"] = new JsonObject
            {
                ["Name"] = metadata["name"]?.DeepClone(),
                ["Version"] = metadata["version"]?.DeepClone(),
                ["AppVersion"] = metadata["appVersion"]?.DeepClone(),
            },
        };
        var renderer = new HelmTemplate(root, [RepositoryFiles.Read($"{chart}/templates/_helpers.tpl")]);
        var documents = templates
            .SelectMany(t => renderer.Render(RepositoryFiles.Read($"{chart}/templates/{t}")).Split("\n---"))
            .Where(d => d.Split('\n').Any(line => line.Trim().Length > 0 && !line.TrimStart().StartsWith('#')));
        return new([.. documents.Select(YamlDocuments.ParseSingle)]);
    }

    private static JsonObject Merge(JsonObject defaults, JsonObject? overrides)
    {
        foreach (var (key, value) in overrides ?? [])
        {
            if (defaults[key] is JsonObject map && value is JsonObject more) Merge(map, more);
            else defaults[key] = value?.DeepClone();
        }
        return defaults;
    }

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
