using System.Text.Json.Nodes;

namespace ConnectorOperator.Tests.Packaging;

/// <summary>One (API group, resource, verb) an RBAC rule grants; resource may name a subresource ("pods/log").</summary>
internal sealed record Permission(string Group, string Resource, string Verb)
{
    public override string ToString() => $"{(Group.Length == 0 ? "core" : Group)} {Resource} {Verb}";

    /// <summary>Every permission the rules of a Role or ClusterRole grant, one per group × resource × verb.</summary>
    public static IReadOnlySet<Permission> Granted(JsonObject role)
    {
        var granted = new HashSet<Permission>();
        foreach (var rule in role["rules"]?.AsArray() ?? [])
        {
            foreach (var group in Strings(rule!["apiGroups"]))
            {
                foreach (var resource in Strings(rule["resources"]))
                {
                    foreach (var verb in Strings(rule["verbs"])) granted.Add(new Permission(group, resource, verb));
                }
            }
        }
        return granted;
    }

    public static IEnumerable<string> Strings(JsonNode? list) => list?.AsArray().Select(n => (string)n!) ?? [];
}
