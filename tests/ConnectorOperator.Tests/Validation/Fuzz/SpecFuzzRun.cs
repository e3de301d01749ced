using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.Api;
using ConnectorOperator.Api.Schema;
using ConnectorOperator.LocalCluster;
using ConnectorOperator.LocalCluster.Schema;
using ConnectorOperator.Reconciliation;
using ConnectorOperator.Validation;

namespace ConnectorOperator.Tests.Validation.Fuzz;

/// <summary>
/// Sends cases as real creates through HTTP to the API server double (generated CRD, CEL on), then what it accepts
/// through the SpecValidator and the pure planner, and checks each against the oracle's expectation.
/// </summary>
internal sealed class SpecFuzzRun : IAsyncDisposable
{
    public const string Namespace = "fuzz";
    private static readonly Uri Collection = new($"/apis/{AgentConnector.Group}/{AgentConnector.Version}/namespaces/{Namespace}/{AgentConnector.Plural}", UriKind.Relative);
    private static readonly OperatorSettings Settings = new() { DefaultImage = "connector:fuzz" };
    private readonly ApiServerDouble _server;
    private readonly HttpClient _http;
    private readonly HashSet<string> _ruleMessages;
    private readonly ConcurrentDictionary<FuzzOutcome, int> _counts = new();
    private readonly ConcurrentQueue<FuzzFailure> _failures = new();

    private SpecFuzzRun(ApiServerDouble server, JsonObject crd)
    {
        _server = server;
        _http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        _ruleMessages = [.. RuleMessages(crd)];
    }

    public IReadOnlyCollection<FuzzFailure> Failures => _failures;

    public int Count(FuzzOutcome outcome) => _counts.GetValueOrDefault(outcome);

    /// <param name="crd">The CRD to install: the generated one, or a weakened one to exercise the SpecValidator alone.</param>
    public static async Task<SpecFuzzRun> StartAsync(ICelEvaluator cel, JsonObject? crd = null)
    {
        crd ??= CrdGenerator.Generate(AgentConnectorCrd.Definition);
        var server = await ApiServerDouble.StartAsync(new ApiServerOptions { CelEvaluator = cel });
        server.CreateObject(crd);
        server.CreateObject(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = Namespace } });
        return new SpecFuzzRun(server, crd);
    }

    public async Task<TimeSpan> RunAsync(IEnumerable<FuzzCase> cases, int parallelism = 4)
    {
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (c, ct) => await RunAsync(c, ct));
        return clock.Elapsed;
    }

    /// <summary>One case; its outcome, or null when it broke a promise (recorded in <see cref="Failures"/>).</summary>
    public async Task<FuzzOutcome?> RunAsync(FuzzCase fuzzCase, CancellationToken cancellationToken = default)
    {
        FuzzOutcome? outcome;
        try
        {
            outcome = await CreateAsync(fuzzCase, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            outcome = Fail(fuzzCase, $"crashed: {e}");
        }
        if (outcome is { } counted) _counts.AddOrUpdate(counted, 1, (_, n) => n + 1);
        return outcome;
    }

    private async Task<FuzzOutcome?> CreateAsync(FuzzCase fuzzCase, CancellationToken cancellationToken)
    {
        var name = $"fuzz-{fuzzCase.Index}";
        var body = new JsonObject
        {
            ["apiVersion"] = AgentConnector.Resource.ApiVersion,
            ["kind"] = AgentConnector.KindName,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace },
            ["spec"] = fuzzCase.Spec.DeepClone(),
        };
        using var content = new StringContent(BodyText(fuzzCase, body), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        using var response = await _http.PostAsync(Collection, content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var code = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.Created)
        {
            using var delete = await _http.DeleteAsync($"{Collection}/{name}", cancellationToken);
            return Accepted(fuzzCase, JsonNode.Parse(text)!.AsObject());
        }
        if (code is >= 400 and < 500)
        {
            return Refused(fuzzCase, code, JsonNode.Parse(text) as JsonObject);
        }
        return Fail(fuzzCase, $"HTTP {code}: {text}");
    }

    private static string BodyText(FuzzCase fuzzCase, JsonObject body)
    {
        // The default encoder writes every non-ASCII character as an escape, so U+FFFD appears only as this.
        var text = body.ToJsonString();
        if (fuzzCase.LoneSurrogates) text = text.Replace(@"\uFFFD", @"\uD800", StringComparison.Ordinal);
        if (fuzzCase.RepeatedKey && fuzzCase.Spec.FirstOrDefault() is { Key: var first })
        {
            text = text.Replace("\"spec\":{", $"\"spec\":{{\"{first}\":\"decoy\",", StringComparison.Ordinal);
        }
        return text;
    }

    private FuzzOutcome? Refused(FuzzCase fuzzCase, int code, JsonObject? status)
    {
        var expected = fuzzCase.Expected;
        if ((string?)status?["kind"] != "Status" || (int?)status["code"] != code)
        {
            return Fail(fuzzCase, $"HTTP {code} without a Status body: {status?.ToJsonString()}");
        }
        if (expected.Valid)
        {
            return Fail(fuzzCase, $"a valid spec was refused: {status["message"]}");
        }
        var causes = (status["details"]?["causes"] as JsonArray ?? []).Select(c => ((string?)c?["field"] ?? "", (string?)c?["message"] ?? "")).ToList();
        var message = (string?)status["message"] ?? "";
        var named = code == 422 ? causes.Any(c => expected.Names(c.Item1)) : expected.All.Any(f => message.Contains(f, StringComparison.Ordinal));
        if (code is not (400 or 422) || !named)
        {
            return Fail(fuzzCase, $"HTTP {code} does not name an expected field: {message}");
        }
        var byCel = code == 422 && causes.Count > 0 && causes.All(c => _ruleMessages.Any(m => c.Item2.Contains(m, StringComparison.Ordinal)));
        return byCel ? FuzzOutcome.RefusedByCel : FuzzOutcome.RefusedBySchema;
    }

    private FuzzOutcome? Accepted(FuzzCase fuzzCase, JsonObject stored)
    {
        var expected = fuzzCase.Expected;
        if (expected.Malformed.Count > 0)
        {
            return Fail(fuzzCase, "the API server stored a value of the wrong type");
        }
        AgentConnector connector;
        try
        {
            connector = stored.Deserialize(AgentConnectorJsonContext.Default.AgentConnector) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            return Fail(fuzzCase, $"the operator cannot read what the API server stored: {e.Message}");
        }
        var check = SpecValidator.Validate(connector.Spec);
        var plan = Plan(connector, check);
        if (expected.Valid)
        {
            if (!check.IsValid) return Fail(fuzzCase, $"the SpecValidator refused a valid spec: {ValidationResult.Describe(check.Errors)}");
            if (plan.Create.Count > 0) _ = PodFactory.Build(connector, plan.Create[0].AgentUser, plan.Create[0].Credentials, plan.Create[0].Serial, plan.Status.Revision ?? "", Settings);
            return FuzzOutcome.Valid;
        }
        // The CRD let it through, so every invalid field is the SpecValidator's to find, and nothing else.
        var missed = expected.Invalid.Where(f => !check.Errors.Any(e => new Expectation([f], []).Names(e.Field))).ToList();
        var wrong = check.Errors.Where(e => !expected.Names(e.Field)).ToList();
        if (missed.Count > 0) return Fail(fuzzCase, $"accepted, and the SpecValidator missed [{string.Join(", ", missed)}]: [{ValidationResult.Describe(check.Errors)}]");
        if (wrong.Count > 0) return Fail(fuzzCase, $"the SpecValidator refused fields the oracle finds valid: {ValidationResult.Describe(wrong)}");
        if (plan.Create.Count > 0) return Fail(fuzzCase, $"an invalid spec got {plan.Create.Count} pod(s)");
        var stalled = plan.Status.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Stalled);
        if (stalled is not { Status: "True", Reason: SpecProblem.InvalidSpec } || !expected.Invalid.Any(f => stalled.Message.Contains(f, StringComparison.Ordinal)))
        {
            return Fail(fuzzCase, $"no InvalidSpec condition naming the field: {stalled?.Reason}: {stalled?.Message}");
        }
        return FuzzOutcome.InvalidSpec;
    }

    /// <summary>The reconciler's planning step, as it runs for a new object whose Secrets all hold API keys.</summary>
    private static ConnectorPlan Plan(AgentConnector connector, ValidationResult check)
    {
        var credentials = new Dictionary<string, CredentialsInfo>(StringComparer.Ordinal);
        foreach (var user in connector.Spec.AgentUsers)
        {
            credentials[user.LoginName] = CredentialsInfo.FromKeys(user.CredentialsSecretRef.Name, CredentialsInfo.ApiKeyKeys);
        }
        return ConnectorPlanner.Plan(new PlanInput
        {
            Connector = connector,
            Pods = [],
            Credentials = credentials,
            Revision = ConnectorRevision.Compute(connector, Settings, new Dictionary<string, string?>()),
            Settings = Settings,
            Now = Reconciliation.PlanFixtures.Now,
            SpecErrors = [.. check.Errors.Select(p => p.ToString())],
            SpecWarnings = check.Warnings,
        });
    }

    private FuzzOutcome? Fail(FuzzCase fuzzCase, string problem)
    {
        _failures.Enqueue(new FuzzFailure(fuzzCase, problem));
        return null;
    }

    private static IEnumerable<string> RuleMessages(JsonNode? node) => node switch
    {
        JsonObject obj => (obj["x-kubernetes-validations"] is JsonArray rules ? rules.Select(r => (string?)r?["message"] ?? "") : [])
            .Concat(obj.Where(p => p.Key != "x-kubernetes-validations").SelectMany(p => RuleMessages(p.Value))),
        JsonArray array => array.SelectMany(RuleMessages),
        _ => [],
    };

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }
}
