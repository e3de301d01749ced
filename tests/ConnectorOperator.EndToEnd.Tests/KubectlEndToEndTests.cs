using System.Text.RegularExpressions;
using ConnectorOperator.Dev;

namespace ConnectorOperator.EndToEnd.Tests;

/// <summary>What the README tells a newcomer to try with kubectl against the local cluster, with the operator and real connectors running.</summary>
public sealed class KubectlEndToEndTests
{
    [KubectlFact]
    public async Task Kubectl_applies_the_samples_shows_columns_and_events_scales_and_deletes_against_the_local_cluster()
    {
        await using var run = await ClusterUnderTest.StartAsync(writeKubeconfig: true);
        var kubectl = Kubectl.Find(run);
        var samples = Path.Combine(RepositoryLayout.Find(AppContext.BaseDirectory)!.Root, "config", "samples");

        // The samples as shipped (apply -f here, delete -k below: both read the directory): their placeholder
        // account and credentials cannot log in, and the status says so.
        var applied = await kubectl.SucceedAsync("apply", "-f", samples);
        Assert.Contains("agentconnector.connectoroperator.dev/support-bot created", applied, StringComparison.Ordinal);
        string? Reason() => run.Cluster.GetAgentConnector(name: "support-bot")?["status"]?["connectors"]?[0]?["reason"]?.GetValue<string>();
        await run.WaitForAsync(() => Reason() is { } reason && reason is not ("Pending" or "Starting" or "Connecting"),
            "the sample's connector says why it cannot go Online");
        var message = run.Cluster.GetAgentConnector(name: "support-bot")!["status"]!["connectors"]![0]!["message"]!.GetValue<string>();
        // The sample's account number is a placeholder the local Conversational Cloud does not know.
        Assert.Equal("ConnectionFailed", Reason());
        Assert.Contains("account 12345678 is not known", message, StringComparison.Ordinal);
        Assert.Contains("check spec.accountId", message, StringComparison.Ordinal);
        var table = await kubectl.SucceedAsync("get", "agentconnectors");
        Assert.Matches(@"NAME\s+BOT\s+TYPE\s+ENV\s+STATE\s+READY\s+DESIRED\s+CONVERSATIONS\s+AGE", table);
        Assert.Matches(@"support-bot\s+support-bot\s+Messaging\s+Demo\s+Offline", table);

        // The operator's Events (written through events.k8s.io/v1) are where describe looks for them: the failed login is one.
        // The Event is written after the status that reports the failure, so it may trail it briefly.
        var described = await kubectl.SucceedAsync("describe", "agentconnector", "support-bot");
        const string FailedLogin = @"Warning\s+ConnectionFailed\s+\S+\s+connectoroperator.dev/operator\s+0/1 connectors online; support-bot-0: account 12345678 is not known";
        for (var attempt = 0; attempt < 20 && !Regex.IsMatch(described, FailedLogin); attempt++)
        {
            await Task.Delay(250);
            described = await kubectl.SucceedAsync("describe", "agentconnector", "support-bot");
        }
        Assert.Matches(@"Events:\s+Type\s+Reason\s+Age\s+From\s+Message", described);
        Assert.Matches(FailedLogin, described);
        Assert.Contains("support-bot", await kubectl.SucceedAsync("get", "events", "--field-selector", "involvedObject.kind=AgentConnector"), StringComparison.Ordinal);

        // The demo, whose credentials the simulator knows: scale it to three connectors and wait for them.
        run.Cluster.ApplyDemo();
        await kubectl.SucceedAsync("wait", "--for=condition=Online", $"agentconnector/{DemoResources.Name}", "--timeout=60s");
        Assert.Contains("scaled", await kubectl.SucceedAsync("scale", "agentconnector", DemoResources.Name, "--replicas=3"), StringComparison.Ordinal);
        await run.WaitForAsync(() => run.Connector?["status"]?["readyReplicas"]?.GetValue<int>() == 3 && run.Pods.Count == 3 && run.State == "Online",
            "three demo connectors are Online");
        Assert.Equal("3", await kubectl.SucceedAsync("get", "agentconnector", DemoResources.Name, "-o", "jsonpath={.status.readyReplicas}"));

        var deleted = await kubectl.SucceedAsync("delete", "-k", samples, "--timeout=60s");
        Assert.Contains("agentconnector.connectoroperator.dev \"support-bot\" deleted", deleted, StringComparison.Ordinal);
        var remaining = run.Cluster.Api.ListObjects($"{Api.AgentConnector.Group}/{Api.AgentConnector.Version}", Api.AgentConnector.KindName, "default")
            .Select(c => c["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal([DemoResources.Name], remaining);
    }
}
