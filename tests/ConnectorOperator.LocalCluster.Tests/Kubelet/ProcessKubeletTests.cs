using System.Text.Json.Nodes;
using static ConnectorOperator.LocalCluster.Tests.Kubelet.ProcessKubeletHarness;

namespace ConnectorOperator.LocalCluster.Tests.Kubelet;

public sealed class ProcessKubeletTests
{
    private static JsonObject Env(string name, string? value = null, JsonObject? from = null) =>
        from is null ? new JsonObject { ["name"] = name, ["value"] = value } : new JsonObject { ["name"] = name, ["valueFrom"] = from };

    private static JsonObject SecretKey(string name, string key, bool optional = false) =>
        new() { ["secretKeyRef"] = new JsonObject { ["name"] = name, ["key"] = key, ["optional"] = optional } };

    private static JsonObject Secret(string name, params (string Key, string Value)[] data) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace },
        ["stringData"] = new JsonObject(data.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)d.Value))),
    };

    [Fact]
    public async Task Environment_resolves_plain_values_secret_and_config_map_keys_field_refs_and_references()
    {
        await using var harness = await StartAsync();
        harness.Server.CreateObject(Secret("creds", ("password", "s3cret")));
        harness.Server.CreateObject(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "settings", ["namespace"] = Namespace },
            ["data"] = new JsonObject { ["greeting"] = "hello" },
        });
        harness.Server.CreateObject(Pod("env", new JsonArray(
            Env("PLAIN", "value"),
            Env("PASSWORD", from: SecretKey("creds", "password")),
            Env("MISSING_OPTIONAL", from: SecretKey("creds", "nope", optional: true)),
            Env("GREETING", from: new JsonObject { ["configMapKeyRef"] = new JsonObject { ["name"] = "settings", ["key"] = "greeting" } }),
            Env("POD_NAME", from: new JsonObject { ["fieldRef"] = new JsonObject { ["fieldPath"] = "metadata.name" } }),
            Env("POD_NAMESPACE", from: new JsonObject { ["fieldRef"] = new JsonObject { ["fieldPath"] = "metadata.namespace" } }),
            Env("POD_IP", from: new JsonObject { ["fieldRef"] = new JsonObject { ["fieldPath"] = "status.podIP" } }),
            Env("COMBINED", "$(GREETING) from $(POD_NAME), $$(GREETING) stays"),
            Env("PRINT_ENV", "PLAIN,PASSWORD,MISSING_OPTIONAL,GREETING,POD_NAME,POD_NAMESPACE,POD_IP,COMBINED,LISTEN_ADDRESS,HOSTNAME_FROM_HOST"))));

        await harness.WaitForLogAsync("env", "listening");
        var pod = await harness.WaitForPodAsync("env", p => p?["status"]?["podIP"] is not null, "the pod has an address");
        var podIp = pod!["status"]!["podIP"]!.GetValue<string>();
        var log = harness.Log("env");
        Assert.Contains("env PLAIN=value", log, StringComparison.Ordinal);
        Assert.Contains("env PASSWORD=s3cret", log, StringComparison.Ordinal);
        Assert.Contains("env MISSING_OPTIONAL=<unset>", log, StringComparison.Ordinal);
        Assert.Contains("env GREETING=hello", log, StringComparison.Ordinal);
        Assert.Contains("env POD_NAME=env", log, StringComparison.Ordinal);
        Assert.Contains("env POD_NAMESPACE=default", log, StringComparison.Ordinal);
        Assert.Contains($"env POD_IP={podIp}", log, StringComparison.Ordinal);
        Assert.Contains("env COMBINED=hello from env, $(GREETING) stays", log, StringComparison.Ordinal);
        Assert.Contains($"env LISTEN_ADDRESS={podIp}", log, StringComparison.Ordinal);
        Assert.Contains("env HOSTNAME_FROM_HOST=<unset>", log, StringComparison.Ordinal);
        Assert.StartsWith("127.", podIp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_secret_is_CreateContainerConfigError_until_the_secret_exists()
    {
        await using var harness = await StartAsync();
        harness.Server.CreateObject(Pod("config", new JsonArray(Env("PASSWORD", from: SecretKey("later", "password")))));

        var pod = await harness.WaitForPodAsync("config",
            p => ContainerStatus(p)?["state"]?["waiting"]?["reason"]?.GetValue<string>() == "CreateContainerConfigError", "CreateContainerConfigError");
        Assert.Equal("secret \"later\" not found", ContainerStatus(pod)!["state"]!["waiting"]!["message"]!.GetValue<string>());
        Assert.Equal("Pending", pod!["status"]!["phase"]!.GetValue<string>());

        harness.Server.CreateObject(Secret("later", ("other", "x")));
        pod = await harness.WaitForPodAsync("config",
            p => ContainerStatus(p)?["state"]?["waiting"]?["message"]?.GetValue<string>() == "couldn't find key password in Secret default/later", "the missing key is reported");

        harness.Server.DeleteObject("v1", "Secret", Namespace, "later");
        harness.Server.CreateObject(Secret("later", ("password", "p")));
        await harness.WaitForPodAsync("config", p => ContainerStatus(p)?["state"]?["running"] is not null, "the container runs once the Secret is complete");
    }

    [Fact]
    public async Task Startup_and_readiness_probes_make_the_pod_Ready()
    {
        await using var harness = await StartAsync();
        harness.Server.CreateObject(Pod("probed", extra: new JsonObject
        {
            ["startupProbe"] = HttpGet("/healthz"),
            ["livenessProbe"] = HttpGet("/healthz"),
            ["readinessProbe"] = HttpGet("/readyz"),
        }));

        var pod = await harness.WaitForPodAsync("probed", IsReady, "Ready");
        var status = ContainerStatus(pod)!;
        Assert.True(status["started"]!.GetValue<bool>());
        Assert.True(status["ready"]!.GetValue<bool>());
        Assert.NotNull(status["state"]!["running"]);
        Assert.Equal("Running", pod!["status"]!["phase"]!.GetValue<string>());
        Assert.Equal(0, status["restartCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Failing_liveness_probe_restarts_the_container()
    {
        await using var harness = await StartAsync();
        harness.Server.CreateObject(Pod("unhealthy", new JsonArray(Env("UNHEALTHY", "1")), new JsonObject { ["livenessProbe"] = HttpGet("/healthz") }, gracePeriodSeconds: 1));

        var pod = await harness.WaitForPodAsync("unhealthy", p => ContainerStatus(p)?["restartCount"]?.GetValue<int>() >= 1, "a restart after the liveness probe failed");
        Assert.NotNull(ContainerStatus(pod)!["lastState"]!["terminated"]);
        await harness.WaitForLogAsync("unhealthy", "SIGTERM");
    }

    [Fact]
    public async Task Crashing_container_goes_into_CrashLoopBackOff_with_restart_count_and_exit_code()
    {
        await using var harness = await StartAsync();
        harness.Server.CreateObject(Pod("crasher", new JsonArray(Env("CRASH_EXIT_CODE", "3"))));

        var pod = await harness.WaitForPodAsync("crasher",
            p => ContainerStatus(p)?["restartCount"]?.GetValue<int>() >= 2 && ContainerStatus(p)?["state"]?["waiting"]?["reason"]?.GetValue<string>() == "CrashLoopBackOff",
            "CrashLoopBackOff after two restarts");
        var status = ContainerStatus(pod)!;
        Assert.Equal(3, status["lastState"]!["terminated"]!["exitCode"]!.GetValue<int>());
        Assert.Equal("Error", status["lastState"]!["terminated"]!["reason"]!.GetValue<string>());
        Assert.Contains("back-off", status["state"]!["waiting"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(status["ready"]!.GetValue<bool>());
        Assert.Equal("Running", pod!["status"]!["phase"]!.GetValue<string>());
        Assert.Contains("crashing on purpose", harness.Log("crasher"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deletion_runs_preStop_then_SIGTERM_and_removes_the_pod()
    {
        await using var harness = await StartAsync();
        harness.Server.CreateObject(Pod("deleted", extra: new JsonObject
        {
            ["readinessProbe"] = HttpGet("/readyz"),
            ["lifecycle"] = new JsonObject { ["preStop"] = new JsonObject { ["httpGet"] = new JsonObject { ["path"] = "/drain", ["port"] = "http" } } },
        }));
        await harness.WaitForPodAsync("deleted", IsReady, "Ready");
        var pid = harness.Kubelet.RunningProcesses[$"{Namespace}/deleted"];

        harness.Server.DeleteObject("v1", "Pod", Namespace, "deleted");
        Assert.NotNull(harness.Get("deleted")?["metadata"]?["deletionTimestamp"]);
        await harness.WaitForPodAsync("deleted", p => p is null, "the pod is removed");

        var log = harness.Log("deleted");
        var preStop = log.IndexOf("preStop", StringComparison.Ordinal);
        var sigterm = log.IndexOf("SIGTERM", StringComparison.Ordinal);
        Assert.True(preStop >= 0 && sigterm > preStop, $"preStop then SIGTERM expected; log: {log}");
        Assert.False(ProcessAlive(pid));
    }

    [Fact]
    public async Task Container_that_ignores_SIGTERM_is_killed_when_the_grace_period_ends()
    {
        await using var harness = await StartAsync();
        harness.Server.CreateObject(Pod("stubborn", new JsonArray(Env("SLOW_SIGTERM", "1")), gracePeriodSeconds: 1));
        await harness.WaitForLogAsync("stubborn", "listening");
        var pid = harness.Kubelet.RunningProcesses[$"{Namespace}/stubborn"];

        var deleted = DateTime.UtcNow;
        harness.Server.DeleteObject("v1", "Pod", Namespace, "stubborn");
        await harness.WaitForPodAsync("stubborn", p => p is null, "the pod is removed");

        Assert.True(DateTime.UtcNow - deleted >= TimeSpan.FromSeconds(0.9), "removed before the grace period ended");
        Assert.Contains("SIGTERM", harness.Log("stubborn"), StringComparison.Ordinal);
        Assert.False(ProcessAlive(pid));
    }

    [Fact]
    public async Task Unknown_image_is_ErrImagePull()
    {
        await using var harness = await StartAsync();
        var pod = Pod("unknown");
        pod["spec"]!["containers"]![0]!["image"] = "nowhere/else:2";
        harness.Server.CreateObject(pod);

        var seen = await harness.WaitForPodAsync("unknown", p => ContainerStatus(p)?["state"]?["waiting"]?["reason"]?.GetValue<string>() == "ErrImagePull", "ErrImagePull");
        Assert.Contains("nowhere/else:2", ContainerStatus(seen)!["state"]!["waiting"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Containers_run_in_their_own_session_away_from_the_terminals_signals()
    {
        if (!File.Exists("/proc/self/stat")) return;
        await using var harness = await StartAsync();
        harness.Server.CreateObject(Pod("session", new JsonArray(Env("PRINT_PGRP", "1"))));
        await harness.WaitForLogAsync("session", "listening");

        var pid = harness.Kubelet.RunningProcesses[$"{Namespace}/session"];
        var log = harness.Log("session");
        var pgrp = log.Split('\n').Single(l => l.StartsWith("pgrp ", StringComparison.Ordinal))[5..].Trim();
        // setsid ran the program in place: its own process group, led by the pid the kubelet tracks.
        Assert.Equal(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), pgrp);
        Assert.NotEqual(OwnProcessGroup(), pgrp);
    }

    private static string OwnProcessGroup()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[2];
    }

    [Fact]
    public async Task Disposing_the_kubelet_kills_every_container_process()
    {
        var harness = await StartAsync();
        int pid;
        try
        {
            harness.Server.CreateObject(Pod("left", new JsonArray(Env("SLOW_SIGTERM", "1"))));
            await harness.WaitForLogAsync("left", "listening");
            pid = harness.Kubelet.RunningProcesses[$"{Namespace}/left"];
        }
        finally
        {
            await harness.DisposeAsync();
        }
        Assert.False(ProcessAlive(pid));
    }
}
