using System.Net;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Tests.Support;

namespace ConnectorOperator.LocalCluster.Tests;

public sealed class EvictionTests : ApiServerTest
{
    protected override Task SeedAsync()
    {
        foreach (var name in new[] { "app-0", "app-1" })
        {
            Server.CreateObject(Objects.Pod(name, labels: new JsonObject { ["app"] = "x" }));
            Server.ModifyObject("v1", "Pod", "default", name, pod =>
            {
                pod["status"] = new JsonObject
                {
                    ["phase"] = "Running",
                    ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
                };
                return pod;
            }, statusOnly: true);
        }
        return Task.CompletedTask;
    }

    private static JsonObject Eviction(string name) => new()
    {
        ["apiVersion"] = "policy/v1",
        ["kind"] = "Eviction",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
    };

    private async Task CreateBudgetAsync(string key, JsonNode value)
    {
        var pdb = new JsonObject
        {
            ["apiVersion"] = "policy/v1",
            ["kind"] = "PodDisruptionBudget",
            ["metadata"] = new JsonObject { ["name"] = "budget" },
            ["spec"] = new JsonObject { [key] = value, ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "x" } } },
        };
        (await Client.PostAsync("/apis/policy/v1/namespaces/default/poddisruptionbudgets", pdb)).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Eviction_without_a_budget_deletes_the_pod()
    {
        (await Client.PostAsync("/api/v1/namespaces/default/pods/app-0/eviction", Eviction("app-0"))).Expect(HttpStatusCode.Created);
        Assert.Null(Server.GetObject("v1", "Pod", "default", "app-0"));
    }

    [Fact]
    public async Task Budget_allows_evictions_down_to_min_available()
    {
        await CreateBudgetAsync("minAvailable", 1);
        (await Client.PostAsync("/api/v1/namespaces/default/pods/app-0/eviction", Eviction("app-0"))).Expect(HttpStatusCode.Created);
        var refused = (await Client.PostAsync("/api/v1/namespaces/default/pods/app-1/eviction", Eviction("app-1"))).Expect(HttpStatusCode.TooManyRequests).Json;
        Assert.Equal("Cannot evict pod as it would violate the pod's disruption budget.", refused["message"]!.GetValue<string>());
        Assert.Equal("DisruptionBudget", refused["details"]!["causes"]![0]!["reason"]!.GetValue<string>());
        Assert.NotNull(Server.GetObject("v1", "Pod", "default", "app-1"));
    }

    [Fact]
    public async Task Percentage_max_unavailable_rounds_up()
    {
        await CreateBudgetAsync("maxUnavailable", "0%");
        (await Client.PostAsync("/api/v1/namespaces/default/pods/app-0/eviction", Eviction("app-0"))).Expect(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Eviction_of_a_missing_pod_is_not_found()
    {
        (await Client.PostAsync("/api/v1/namespaces/default/pods/ghost/eviction", Eviction("ghost"))).Expect(HttpStatusCode.NotFound);
    }
}
