using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Security;

namespace ConnectorOperator.LocalCluster.Authorization;

/// <summary>Decides whether a request may proceed; a denial carries the reason kube-apiserver appends to its message (often empty).</summary>
public interface IAuthorizer
{
    AuthorizationDecision Authorize(RequestAttributes attributes);

    /// <summary>The PolicyRules that apply to <paramref name="user"/> in <paramref name="namespace"/>, for SelfSubjectRulesReview.</summary>
    IEnumerable<JsonObject> RulesFor(UserInfo user, string? @namespace);
}

public sealed record AuthorizationDecision(bool Allowed, string Reason = "")
{
    public static AuthorizationDecision Allow { get; } = new(true);
}

/// <summary>--authorization-mode=AlwaysAllow: every authenticated (or anonymous) request proceeds.</summary>
internal sealed class AlwaysAllowAuthorizer : IAuthorizer
{
    public AuthorizationDecision Authorize(RequestAttributes attributes) => AuthorizationDecision.Allow;

    public IEnumerable<JsonObject> RulesFor(UserInfo user, string? @namespace) =>
    [
        BootstrapPolicy.Rule(["*"], ["*"], ["*"]),
        new JsonObject { ["nonResourceURLs"] = new JsonArray("*"), ["verbs"] = new JsonArray("*") },
    ];
}
