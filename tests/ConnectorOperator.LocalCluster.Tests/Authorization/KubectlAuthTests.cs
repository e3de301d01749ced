using ConnectorOperator.LocalCluster.Authorization;
using ConnectorOperator.LocalCluster.Tests.Support;

namespace ConnectorOperator.LocalCluster.Tests.Authorization;

/// <summary>kubectl auth can-i / whoami and kubectl's view of a 403, against the double with RBAC on.</summary>
public sealed class KubectlAuthTests : IAsyncLifetime
{
    private ApiServerDouble _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiServerDouble.StartAsync(new ApiServerOptions { UseTls = true, Authorization = AuthorizationMode.Rbac });
        _server.CreateObject(Objects.Namespace("team-a"));
        _server.CreateObject(Rbac.RoleBinding("team-a", "alice-edit", "ClusterRole", "edit", Rbac.User("alice")));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [KubectlFact]
    public async Task Can_i_answers_yes_and_no_from_the_bindings()
    {
        using var alice = new Kubectl(_server, _server.IssueToken("alice"));

        Assert.Equal("yes", (await alice.SucceedAsync("auth", "can-i", "create", "configmaps", "-n", "team-a")).Trim());
        var (exit, output, _) = await alice.RunAsync("auth", "can-i", "create", "configmaps", "-n", "default");
        Assert.Equal(1, exit);
        Assert.Equal("no", output.Trim());
    }

    [KubectlFact]
    public async Task Can_i_list_shows_the_rules_and_whoami_the_user()
    {
        using var alice = new Kubectl(_server, _server.IssueToken("alice", "developers"));

        var rules = await alice.SucceedAsync("auth", "can-i", "--list", "-n", "team-a");
        Assert.Matches(@"configmaps\s+\[\]\s+\[\]\s+\[create delete deletecollection patch update get list watch\]", rules);
        var whoami = await alice.SucceedAsync("auth", "whoami");
        Assert.Matches(@"Username\s+alice", whoami);
        Assert.Matches(@"Groups\s+\[developers system:authenticated\]", whoami);
    }

    [KubectlFact]
    public async Task A_denied_request_prints_the_servers_forbidden_message()
    {
        using var alice = new Kubectl(_server, _server.IssueToken("alice"));

        var (exit, _, error) = await alice.RunAsync("get", "configmaps", "-n", "default");

        Assert.NotEqual(0, exit);
        Assert.Contains("Error from server (Forbidden): configmaps is forbidden: User \"alice\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"default\"", error, StringComparison.Ordinal);
    }
}
