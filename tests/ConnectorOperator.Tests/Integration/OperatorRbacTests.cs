using System.Text.Json.Nodes;
using ConnectorOperator.Api;
using ConnectorOperator.Dev;
using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.LocalCluster.Kubelet;
using ConnectorOperator.Tests.Packaging;
using ConnectorOperator.Tests.Support;
using static ConnectorOperator.Tests.Support.OperatorHarness;

namespace ConnectorOperator.Tests.Integration;

/// <summary>
/// The operator under config/rbac only (its ServiceAccount token, RBAC on): one run through everything it does
/// must be denied nothing, and must use every permission the manifests grant (OperatorPermissions, the one list of
/// what the code calls). A call the code makes and the manifests lack fails here; so does a grant nothing uses.
/// </summary>
public sealed class OperatorRbacTests
{
    /// <summary>Granted for an admission plugin the double does not run, not for a call of ours.</summary>
    private static readonly HashSet<Permission> GrantedForAdmissionOnly =
    [
        // OwnerReferencesPermissionEnforcement (on in OpenShift, for one) checks it when a pod's or budget's
        // blockOwnerDeletion reference names an AgentConnector.
        new("connectoroperator.dev", "agentconnectors/finalizers", "update"),
    ];

    [Fact]
    public async Task The_operator_is_denied_nothing_and_uses_every_permission_it_is_granted()
    {
        await using var h = await StartAsync(leaderElection: true);
        h.ContainerBehaviours["rbac-user3"] = new ContainerBehaviour.Crashes(ExitCode: 2, Message: "bad configuration");

        await h.ApplyAsync(Connector("rbac", users: 2));
        await h.WaitForAsync("rbac", c => c.Status?.ReadyReplicas == 1, "a connector ready");
        // Stopped and started twice: the second "Online" Event repeats the first and patches its series.
        for (var i = 0; i < 2; i++)
        {
            await h.PatchSpecAsync("rbac", new JsonObject { ["running"] = false });
            await h.WaitForAsync("rbac", c => c.Status?.Replicas == 0, "stopped");
            await h.PatchSpecAsync("rbac", new JsonObject { ["running"] = true });
            await h.WaitForAsync("rbac", c => c.Status?.ReadyReplicas == 1, "running again");
        }
        // A third user (its container crash-loops, so repeated Events patch their series), then a budget change.
        await h.CreateCredentialsAsync("rbac-user3");
        await h.PatchSpecAsync("rbac", new JsonObject
        {
            ["agentUsers"] = new JsonArray([.. Enumerable.Range(1, 3).Select(i => (JsonNode)new JsonObject
            {
                ["loginName"] = $"rbac-user{i}",
                ["credentialsSecretRef"] = new JsonObject { ["name"] = $"rbac-user{i}" },
            })]),
            ["replicas"] = 3,
        });
        await h.WaitForAsync("rbac", c => c.Status?.Connectors?.Any(r => r.Reason == "CrashLoopBackOff") == true, "the third connector crash-loops");
        await Task.Delay(1500);
        await h.Client.DeleteAsync(AgentConnector.Resource, OperatorHarness.Namespace, "rbac");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await h.GetAsync("rbac") is not null && DateTime.UtcNow < deadline) await Task.Delay(50);
        await h.StopOperatorAsync();

        var log = h.Server.AccessLog.For(ShippedRbac.OperatorUser);
        var denied = log.Where(e => !e.Allowed).Select(e => $"{e.Verb} {e.Group}/{e.Resource}").ToList();
        Assert.True(denied.Count == 0, $"the operator was denied what config/rbac does not grant: {string.Join(", ", denied)}");
        var used = log.Where(e => e.Allowed && e.Group is not null).Select(e => new Permission(e.Group!, e.Resource, e.Verb)).ToHashSet();
        var granted = OperatorPermissions.InWatchedNamespaces.Concat(OperatorPermissions.LeaderElection).ToHashSet();
        var unused = granted.Except(used).Except(GrantedForAdmissionOnly).Select(p => p.ToString()).Order(StringComparer.Ordinal).ToList();
        Assert.True(unused.Count == 0, $"granted but never used: {string.Join(", ", unused)}; used: {string.Join(", ", used.Select(p => p.ToString()).Order(StringComparer.Ordinal))}");
    }
}
