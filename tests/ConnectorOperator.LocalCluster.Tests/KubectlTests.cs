using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Schema;
using ConnectorOperator.LocalCluster.Tests.Schema;
using ConnectorOperator.LocalCluster.Tests.Support;

namespace ConnectorOperator.LocalCluster.Tests;

/// <summary>Real kubectl (v1.32) against the double; needs every seam (tables, OpenAPI, patches, schema).</summary>
public sealed class KubectlTests : IAsyncLifetime
{
    private ApiServerDouble _server = null!;
    private Kubectl _kubectl = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiServerDouble.StartAsync(new ApiServerOptions { UseTls = true, RequiredBearerToken = "kubectl-token", CelEvaluator = SharedCel.Evaluator });
        _kubectl = new Kubectl(_server);
    }

    public async Task DisposeAsync()
    {
        _kubectl.Dispose();
        await _server.DisposeAsync();
    }

    private async Task ApplyWidgetsAsync()
    {
        Assert.Contains("created", await _kubectl.SucceedAsync("apply", "-f", Fixtures.PathOf("widgets-crd.yaml")), StringComparison.Ordinal);
        Assert.Contains("widget.test.connectoroperator.dev/sample created", await _kubectl.SucceedAsync("apply", "-f", Fixtures.PathOf("widget.yaml")), StringComparison.Ordinal);
    }

    [KubectlFact]
    public async Task Apply_of_a_kind_the_server_does_not_serve_fails_with_no_matches_for_kind()
    {
        // kubectl looks such a kind up in the protobuf /openapi/v2 before it asks discovery.
        var (exit, _, error) = await _kubectl.RunAsync("apply", "-f", Fixtures.PathOf("kustomization-kind.yaml"));

        Assert.NotEqual(0, exit);
        Assert.Contains("no matches for kind \"Kustomization\" in version \"kustomize.config.k8s.io/v1beta1\"", error, StringComparison.Ordinal);
    }

    [KubectlFact]
    public async Task Get_pods_lists_with_table_columns()
    {
        var (exit, _, error) = await _kubectl.RunAsync("get", "pods");
        Assert.Equal(0, exit);
        Assert.Contains("No resources found in default namespace.", error, StringComparison.Ordinal);

        _server.CreateObject(Objects.Pod("listed"));
        var output = await _kubectl.SucceedAsync("get", "pods");
        Assert.Contains("NAME", output, StringComparison.Ordinal);
        Assert.Contains("STATUS", output, StringComparison.Ordinal);
        Assert.Contains("listed", output, StringComparison.Ordinal);
    }

    [KubectlFact]
    public async Task Apply_creates_then_reports_unchanged_and_delete_removes()
    {
        Assert.Contains("pod/kubectl-pod created", await _kubectl.SucceedAsync("apply", "-f", Fixtures.PathOf("pod.yaml")), StringComparison.Ordinal);
        Assert.NotNull(_server.GetObject("v1", "Pod", "default", "kubectl-pod"));
        Assert.Contains("pod/kubectl-pod unchanged", await _kubectl.SucceedAsync("apply", "-f", Fixtures.PathOf("pod.yaml")), StringComparison.Ordinal);

        Assert.Contains("pod \"kubectl-pod\" deleted", await _kubectl.SucceedAsync("delete", "pod", "kubectl-pod"), StringComparison.Ordinal);
        Assert.Null(_server.GetObject("v1", "Pod", "default", "kubectl-pod"));
    }

    [KubectlFact]
    public async Task Apply_crd_and_custom_resource_then_get_shows_printer_columns()
    {
        await ApplyWidgetsAsync();
        var output = await _kubectl.SucceedAsync("get", "widgets");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^NAME +SIZE +REPLICAS +AGE", lines[0]);
        Assert.Matches("^sample +small +2 +", lines[1]);
        Assert.Contains("sample", await _kubectl.SucceedAsync("get", "wd", "-o", "name"), StringComparison.Ordinal);
    }

    [KubectlFact]
    public async Task Invalid_custom_resource_is_rejected_with_the_servers_message()
    {
        await ApplyWidgetsAsync();
        var (exit, _, error) = await _kubectl.RunAsync("patch", "widget", "sample", "--type=merge", "-p", "{\"spec\":{\"size\":\"huge\"}}");
        Assert.NotEqual(0, exit);
        Assert.Contains("spec.size: Unsupported value: \"huge\"", error, StringComparison.Ordinal);
    }

    [KubectlFact]
    public async Task Patch_strategic_for_pods_and_merge_for_custom_resources()
    {
        _server.CreateObject(Objects.Pod("patched"));
        Assert.Contains("pod/patched patched", await _kubectl.SucceedAsync("patch", "pod", "patched", "-p", "{\"metadata\":{\"labels\":{\"tier\":\"web\"}}}"), StringComparison.Ordinal);
        Assert.Equal("web", _server.GetObject("v1", "Pod", "default", "patched")!["metadata"]!["labels"]!["tier"]!.GetValue<string>());

        await ApplyWidgetsAsync();
        await _kubectl.SucceedAsync("patch", "widget", "sample", "--type=merge", "-p", "{\"spec\":{\"size\":\"large\"}}");
        Assert.Equal("large", _server.GetObject("test.connectoroperator.dev/v1", "Widget", "default", "sample")!["spec"]!["size"]!.GetValue<string>());
    }

    [KubectlFact]
    public async Task Scale_changes_the_custom_resources_replicas()
    {
        await ApplyWidgetsAsync();
        Assert.Contains("scaled", await _kubectl.SucceedAsync("scale", "widget", "sample", "--replicas=3"), StringComparison.Ordinal);
        Assert.Equal(3, _server.GetObject("test.connectoroperator.dev/v1", "Widget", "default", "sample")!["spec"]!["replicas"]!.GetValue<long>());
    }

    [KubectlFact]
    public async Task Get_watch_prints_changes_as_they_happen()
    {
        _server.CreateObject(Objects.ConfigMap("before"));
        using var watch = _kubectl.Start("get", "configmaps", "-w");
        await watch.WaitForLineAsync("before");
        _server.CreateObject(Objects.ConfigMap("during"));
        await watch.WaitForLineAsync("during");
    }

    [KubectlFact]
    public async Task Server_side_apply_and_explain_work()
    {
        Assert.Contains("serverside-applied", await _kubectl.SucceedAsync("apply", "--server-side", "-f", Fixtures.PathOf("pod.yaml")), StringComparison.Ordinal);
        var managers = _server.GetObject("v1", "Pod", "default", "kubectl-pod")!["metadata"]!["managedFields"]!.AsArray().Select(m => m!["manager"]!.GetValue<string>());
        Assert.Contains("kubectl", managers);
    }

    [KubectlFact]
    public async Task Imperative_create_commands_send_protobuf_that_the_double_decodes()
    {
        Assert.Contains("namespace/team-a created", await _kubectl.SucceedAsync("create", "namespace", "team-a"), StringComparison.Ordinal);
        await _kubectl.SucceedAsync("create", "configmap", "settings", "-n", "team-a", "--from-literal=mode=fast");
        await _kubectl.SucceedAsync("create", "secret", "generic", "credentials", "-n", "team-a", "--from-literal=password=hunter2");
        await _kubectl.SucceedAsync("create", "serviceaccount", "bot", "-n", "team-a");

        Assert.Equal("fast", _server.GetObject("v1", "ConfigMap", "team-a", "settings")!["data"]!["mode"]!.GetValue<string>());
        var secret = _server.GetObject("v1", "Secret", "team-a", "credentials")!;
        Assert.Equal("aHVudGVyMg==", secret["data"]!["password"]!.GetValue<string>());
        Assert.Equal("Opaque", secret["type"]!.GetValue<string>());
        Assert.NotNull(_server.GetObject("v1", "ServiceAccount", "team-a", "bot"));
        Assert.Null(_server.GetObject("v1", "Namespace", null, "team-a")!["metadata"]!["generateName"]);
    }

    [KubectlFact]
    public async Task Get_events_shows_an_event_written_through_the_events_api()
    {
        _server.CreateObject(Objects.Namespace("team"));
        var pod = _server.CreateObject(Objects.Pod("connector-1", "team"));
        _server.CreateObject(OperatorEvent(pod, "deployed"));

        var output = await _kubectl.SucceedAsync("get", "events", "-n", "team");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^LAST SEEN +TYPE +REASON +OBJECT +MESSAGE", lines[0]);
        Assert.Matches("^\\S+ +Normal +Deployed +pod/connector-1 +connector pod created", lines[1]);

        var wide = await _kubectl.SucceedAsync("get", "events", "-n", "team", "-o", "wide");
        Assert.Contains("connectoroperator.dev/operator", wide, StringComparison.Ordinal);

        var grouped = await _kubectl.SucceedAsync("get", "events.events.k8s.io", "-n", "team");
        Assert.Matches("Normal +Deployed +pod/connector-1 +connector pod created", grouped);
    }

    [KubectlFact]
    public async Task Describe_pod_lists_events_written_through_the_events_api()
    {
        var pod = _server.CreateObject(Objects.Pod("described"));
        _server.CreateObject(OperatorEvent(pod, "about-described"));
        _server.CreateObject(OperatorEvent(_server.CreateObject(Objects.Pod("other")), "about-other"));

        var output = await _kubectl.SucceedAsync("describe", "pod", "described");
        var events = output[output.IndexOf("Events:", StringComparison.Ordinal)..];
        Assert.Matches("Normal +Deployed +\\S+ +connectoroperator.dev/operator +connector pod created", events);
        Assert.Single(events.Split('\n'), line => line.Contains("Deployed", StringComparison.Ordinal));
    }

    // An Event as the operator writes it: events.k8s.io/v1, about a pod.
    private static JsonObject OperatorEvent(JsonObject pod, string name)
    {
        var metadata = pod["metadata"]!;
        return new JsonObject
        {
            ["apiVersion"] = "events.k8s.io/v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = metadata["namespace"]!.GetValue<string>() },
            ["eventTime"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["reportingController"] = "connectoroperator.dev/operator",
            ["reportingInstance"] = "operator-0",
            ["action"] = "Reconcile",
            ["reason"] = "Deployed",
            ["type"] = "Normal",
            ["note"] = "connector pod created",
            ["regarding"] = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Pod",
                ["namespace"] = metadata["namespace"]!.GetValue<string>(),
                ["name"] = metadata["name"]!.GetValue<string>(),
                ["uid"] = metadata["uid"]!.GetValue<string>(),
            },
        };
    }

    [KubectlFact]
    public async Task Kubeconfig_with_a_client_certificate_works_when_certificates_are_required()
    {
        await using var server = await ApiServerDouble.StartAsync(new ApiServerOptions { RequireClientCertificate = true });
        using var kubectl = new Kubectl(server);
        var (exit, _, error) = await kubectl.RunAsync("get", "namespaces");
        Assert.True(exit == 0, error);
    }
}
