using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.Api;
using ConnectorOperator.Api.Schema;
using ConnectorOperator.Tests.Support;
using static ConnectorOperator.Tests.Support.OperatorHarness;

namespace ConnectorOperator.Tests.Integration;

/// <summary>config/policy and config/rbac as shipped: who may put an AgentConnector in Production.</summary>
public sealed class ProductionPolicyTests
{
    private const string Collection = $"/apis/connectoroperator.dev/v1alpha1/namespaces/{OperatorHarness.Namespace}/agentconnectors";

    private static HttpClient As(OperatorHarness h, string user)
    {
        var http = new HttpClient { BaseAddress = h.Server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", h.Server.IssueToken(user));
        return http;
    }

    private static void Bind(OperatorHarness h, string user, string clusterRole) =>
        h.Server.CreateObject(new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "RoleBinding",
            ["metadata"] = new JsonObject { ["name"] = $"{user}-{clusterRole}", ["namespace"] = OperatorHarness.Namespace },
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = clusterRole },
            ["subjects"] = new JsonArray(new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "User", ["name"] = user }),
        });

    private static async Task<(HttpStatusCode Status, JsonObject Body)> CreateAsync(HttpClient http, string name, DeploymentEnvironment environment)
    {
        var connector = JsonSerializer.SerializeToNode(Connector(name, users: 2, environment), AgentConnectorJsonContext.Default.AgentConnector)!.AsObject();
        connector["apiVersion"] = AgentConnector.Resource.ApiVersion;
        connector["kind"] = AgentConnector.KindName;
        using var response = await http.PostAsJsonAsync(Collection, connector);
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }

    [Fact]
    public async Task An_editor_may_create_demo_but_not_production_until_bound_to_the_deployer_role()
    {
        await using var h = await StartAsync(startOperator: false);
        Bind(h, "erin", "edit");
        using var erin = As(h, "erin");

        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(erin, "demo", DeploymentEnvironment.Demo)).Status);
        var (status, denied) = await CreateAsync(erin, "prod", DeploymentEnvironment.Production);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("Forbidden", (string?)denied["reason"]);
        Assert.Equal("agentconnectors.connectoroperator.dev \"prod\" is forbidden: ValidatingAdmissionPolicy 'agentconnector-production-deployers' with binding "
            + "'agentconnector-production-deployers' denied request: user erin may not deploy AgentConnectors to Production in namespace bots: it needs "
            + "deploy-production on agentconnectors (group connectoroperator.dev), which the ClusterRole agentconnector-production-deployer grants",
            (string?)denied["message"]);

        Bind(h, "erin", "agentconnector-production-deployer");
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(erin, "prod", DeploymentEnvironment.Production)).Status);
    }

    [Fact]
    public async Task Changing_to_production_needs_the_permission_but_other_edits_of_a_production_connector_do_not()
    {
        await using var h = await StartAsync(startOperator: false);
        Bind(h, "erin", "edit");
        Bind(h, "olga", "admin");
        using var erin = As(h, "erin");
        using var olga = As(h, "olga");
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(erin, "promoted", DeploymentEnvironment.Demo)).Status);

        static StringContent Merge(JsonObject spec) => new(new JsonObject { ["spec"] = spec }.ToJsonString(), new MediaTypeHeaderValue("application/merge-patch+json"));
        using var byEditor = await erin.PatchAsync($"{Collection}/promoted", Merge(new JsonObject { ["environment"] = "Production" }));
        Assert.Equal(HttpStatusCode.Forbidden, byEditor.StatusCode);
        // admin aggregates agentconnector-production-deployer.
        using var byAdmin = await olga.PatchAsync($"{Collection}/promoted", Merge(new JsonObject { ["environment"] = "Production" }));
        Assert.Equal(HttpStatusCode.OK, byAdmin.StatusCode);
        using var laterEdit = await erin.PatchAsync($"{Collection}/promoted", Merge(new JsonObject { ["fallbackSkillId"] = "1234" }));
        Assert.Equal(HttpStatusCode.OK, laterEdit.StatusCode);
    }
}
