using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Api;
using ConnectorOperator.LocalCluster.Security;

namespace ConnectorOperator.LocalCluster.Authorization;

/// <summary>
/// The RBAC authorizer: a request is allowed when a rule of a role bound to the user covers it. ClusterRoleBindings
/// grant everywhere; RoleBindings grant their Role, or a ClusterRole, in their own namespace only. There is no deny.
/// A binding whose role does not exist grants nothing.
/// </summary>
/// <param name="stored">The stored objects of a kind (read-only; the store never mutates a committed object).</param>
internal sealed class RbacAuthorizer(Func<ResourceType, IReadOnlyList<JsonObject>> stored) : IAuthorizer
{
    private static readonly ResourceType Roles = BuiltInResources.Get(BuiltInResources.RbacGroup, "roles");
    private static readonly ResourceType ClusterRoles = BuiltInResources.Get(BuiltInResources.RbacGroup, "clusterroles");
    private static readonly ResourceType RoleBindings = BuiltInResources.Get(BuiltInResources.RbacGroup, "rolebindings");
    private static readonly ResourceType ClusterRoleBindings = BuiltInResources.Get(BuiltInResources.RbacGroup, "clusterrolebindings");

    public AuthorizationDecision Authorize(RequestAttributes attributes) =>
        RulesFor(attributes.User, attributes.Namespace).Any(rule => PolicyRules.Covers(rule, attributes))
            ? AuthorizationDecision.Allow
            : new AuthorizationDecision(false);

    /// <summary>Every rule that applies to <paramref name="user"/> in <paramref name="namespace"/> (cluster-wide ones included; empty namespace: cluster-wide only).</summary>
    public IEnumerable<JsonObject> RulesFor(UserInfo user, string? @namespace)
    {
        var clusterRoles = stored(ClusterRoles).ToDictionary(r => Name(r), StringComparer.Ordinal);
        foreach (var binding in stored(ClusterRoleBindings).Where(b => Applies(b, user)))
        {
            if (RoleRef(binding) is ("ClusterRole", var name) && clusterRoles.TryGetValue(name, out var role))
            {
                foreach (var rule in Rules(role))
                {
                    yield return rule;
                }
            }
        }
        if (string.IsNullOrEmpty(@namespace))
        {
            yield break;
        }
        var roles = stored(Roles).Where(r => Namespace(r) == @namespace).ToDictionary(r => Name(r), StringComparer.Ordinal);
        foreach (var binding in stored(RoleBindings).Where(b => Namespace(b) == @namespace && Applies(b, user)))
        {
            var role = RoleRef(binding) switch
            {
                ("ClusterRole", var name) => clusterRoles.GetValueOrDefault(name),
                ("Role", var name) => roles.GetValueOrDefault(name),
                _ => null,
            };
            if (role is null)
            {
                continue;
            }
            foreach (var rule in Rules(role))
            {
                yield return rule;
            }
        }
    }

    private static bool Applies(JsonObject binding, UserInfo user) =>
        (binding["subjects"] as JsonArray ?? []).OfType<JsonObject>().Any(subject => Matches(subject, user, Namespace(binding)));

    private static bool Matches(JsonObject subject, UserInfo user, string? bindingNamespace)
    {
        var name = Text(subject["name"]);
        return Text(subject["kind"]) switch
        {
            "User" => name == user.Name,
            "Group" => name is not null && user.Groups.Contains(name, StringComparer.Ordinal),
            // A ServiceAccount subject of a RoleBinding may leave out its namespace: it means the binding's.
            "ServiceAccount" => name is not null && user.Name == UserInfo.ServiceAccountUser(Text(subject["namespace"]) is { Length: > 0 } ns ? ns : bindingNamespace ?? string.Empty, name),
            _ => false,
        };
    }

    private static (string Kind, string Name) RoleRef(JsonObject binding) =>
        (Text(binding["roleRef"]?["kind"]) ?? string.Empty, Text(binding["roleRef"]?["name"]) ?? string.Empty);

    private static IEnumerable<JsonObject> Rules(JsonObject role) => (role["rules"] as JsonArray ?? []).OfType<JsonObject>();

    private static string Name(JsonObject obj) => Text(obj["metadata"]?["name"]) ?? string.Empty;

    private static string? Namespace(JsonObject obj) => Text(obj["metadata"]?["namespace"]);

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
