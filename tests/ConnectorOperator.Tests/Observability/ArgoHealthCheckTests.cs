using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ConnectorOperator.Tests.Support;
using ConnectorOperator.TestSupport.Tools;

namespace ConnectorOperator.Tests.Observability;

/// <summary>
/// config/argocd/health.lua run by a real Lua 5.1 against the status fixtures beside it, and the kstatus reading
/// (Flux's health) of the same fixtures, as docs/observability.md tabulates them.
/// </summary>
public sealed class ArgoHealthCheckTests
{
    [LuaTheory]
    [InlineData("ready-online", "Healthy", "2/2 connectors online")]
    [InlineData("rolling-update", "Progressing", "1/2 connectors at revision abc")]
    [InlineData("starting", "Progressing", "0/2 connectors online")]
    [InlineData("offline-unauthorized", "Degraded", "0/2 connectors online; sales-1: login refused")]
    [InlineData("stalled-invalid-spec", "Degraded", "the spec is invalid: bot.endpoint: must be https")]
    [InlineData("stopped", "Suspended", "stopped: no connector is running")]
    [InlineData("stopping", "Progressing", "draining 2 connector(s)")]
    [InlineData("new-generation", "Progressing", "Waiting for the operator to observe generation 7")]
    [InlineData("no-status", "Progressing", "Waiting for the operator to report status")]
    public void Argo_health_of_each_fixture(string fixture, string status, string message)
    {
        var (actualStatus, actualMessage) = RunHealth(Fixture(fixture));

        Assert.Equal(status, actualStatus);
        Assert.Equal(message, actualMessage);
    }

    [Theory]
    [InlineData("ready-online", "Current")]
    [InlineData("rolling-update", "InProgress")]
    [InlineData("starting", "InProgress")]
    [InlineData("offline-unauthorized", "InProgress")]
    [InlineData("stalled-invalid-spec", "Failed")]
    [InlineData("stopped", "Current")]
    [InlineData("stopping", "InProgress")]
    [InlineData("new-generation", "InProgress")]
    [InlineData("no-status", "Current")]
    public void Kstatus_reading_of_each_fixture(string fixture, string expected)
    {
        Assert.Equal(expected, Kstatus(Fixture(fixture)));
    }

    [Fact]
    public void Every_fixture_is_covered()
    {
        var names = Directory.GetFiles(RepositoryFiles.PathOf("config/argocd/fixtures"), "*.yaml").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        Assert.Equal(["new-generation", "no-status", "offline-unauthorized", "ready-online", "rolling-update", "stalled-invalid-spec", "starting", "stopped", "stopping"], names);
    }

    private static JsonObject Fixture(string name) => YamlDocuments.ParseSingle(RepositoryFiles.Read($"config/argocd/fixtures/{name}.yaml"));

    /// <summary>The same way Argo CD calls it: a global <c>obj</c>, the script's returned table.</summary>
    private static (string Status, string Message) RunHealth(JsonObject obj)
    {
        var script = Path.Combine(Path.GetTempPath(), $"argo-health-{Guid.NewGuid():N}.lua");
        File.WriteAllText(script, $"""
            obj = {ToLua(obj)}
            local hs = dofile("{RepositoryFiles.PathOf("config/argocd/health.lua")}")
            io.write(hs.status, "\n", hs.message or "")
            """);
        try
        {
            var result = Lua.Tool.Run([script]);
            Assert.True(result.ExitCode == 0, result.Output);
            var parts = result.Stdout.Split('\n', 2);
            return (parts[0], parts.Length > 1 ? parts[1] : "");
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static string ToLua(JsonNode? node) => node switch
    {
        null => "nil",
        JsonObject o => "{" + string.Join(", ", o.Select(p => $"[{Quote(p.Key)}] = {ToLua(p.Value)}")) + "}",
        JsonArray a => "{" + string.Join(", ", a.Select(ToLua)) + "}",
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        JsonValue v when v.TryGetValue<long>(out var l) => l.ToString(CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue<double>(out var d) => d.ToString("R", CultureInfo.InvariantCulture),
        _ => Quote(node.ToString()),
    };

    private static string Quote(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in text)
            builder.Append(c switch { '"' => "\\\"", '\\' => "\\\\", '\n' => "\\n", _ => c.ToString() });
        return builder.Append('"').ToString();
    }

    /// <summary>
    /// kstatus's reading of a custom resource (what Flux waits on): an observedGeneration behind the generation or
    /// Reconciling True → InProgress, Stalled True → Failed, anything else (no status at all too) → Current.
    /// </summary>
    private static string Kstatus(JsonObject obj)
    {
        var status = obj["status"] as JsonObject;
        var conditions = status?["conditions"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
        bool IsTrue(string type) => conditions.Any(c => (string?)c["type"] == type && (string?)c["status"] == "True");
        var generation = (long?)obj["metadata"]?["generation"];
        var observed = (long?)status?["observedGeneration"];
        if (generation is not null && observed is not null && observed != generation) return "InProgress";
        if (IsTrue("Reconciling")) return "InProgress";
        return IsTrue("Stalled") ? "Failed" : "Current";
    }
}
