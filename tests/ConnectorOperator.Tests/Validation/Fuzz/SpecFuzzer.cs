using System.Text;
using System.Text.Json.Nodes;
using ConnectorOperator.Tests.Support;

namespace ConnectorOperator.Tests.Validation.Fuzz;

/// <summary>
/// One generated AgentConnector: its spec, what was done to it, and what the oracle expects. The body quirks are
/// JSON a client may send that a spec cannot show: each U+FFFD sent as an unpaired surrogate escape (which the
/// API server decodes back to U+FFFD), the spec's first key sent twice with a decoy first (the last one counts).
/// </summary>
internal sealed record FuzzCase(int Index, JsonObject Spec, IReadOnlyList<string> Mutations, Expectation Expected, bool LoneSurrogates = false, bool RepeatedKey = false)
{
    public string Describe() => $"case {Index}: {(Mutations.Count == 0 ? "unmutated" : string.Join("; ", Mutations))}";
}

/// <summary>
/// Deterministic by seed and index (a case does not depend on the others, so they can run in any order): a valid
/// base, random or one of config/samples, then up to four mutations, judged by <see cref="SpecOracle"/>.
/// </summary>
internal sealed class SpecFuzzer(int seed)
{
    private static readonly Lazy<JsonObject[]> SampleSpecs = new(() =>
        [.. Directory.GetFiles(RepositoryFiles.PathOf("config/samples"), "*.yaml").Order(StringComparer.Ordinal)
            .SelectMany(f => YamlDocuments.Parse(File.ReadAllText(f)))
            .Where(d => (string?)d["kind"] == "AgentConnector")
            .Select(d => (JsonObject)d["spec"]!)]);

    public FuzzCase Case(int index)
    {
        var random = new Random(HashCode.Combine(seed, index));
        var spec = random.Next(10) < 3 ? (JsonObject)random.Pick(SampleSpecs.Value).DeepClone() : RandomValidSpec(random);
        var mutations = new List<string>();
        var count = random.Next(20) == 0 ? 0 : random.Next(1, 5);
        for (var i = 0; i < count; i++)
        {
            mutations.Add(Mutate(spec, random));
        }
        var loneSurrogates = random.Next(20) == 0;
        if (loneSurrogates)
        {
            var field = random.Pick(FuzzFields.Identifiers.Where(f => !f.Path.Contains(SpecPath.AnyItem)).ToList());
            SpecPath.Set(spec, field.Path, (field.Sample ?? "x") + "\uFFFD");
            mutations.Add($"{SpecPath.Name(field.Path)} with an unpaired surrogate escape");
        }
        var repeatedKey = random.Next(20) == 0;
        if (repeatedKey) mutations.Add("first spec key sent twice, a decoy first");
        return new FuzzCase(index, spec, mutations, SpecOracle.Judge(spec), loneSurrogates, repeatedKey);
    }

    /// <summary>The case the fuzzer makes for a given spec, for named and property tests.</summary>
    public static FuzzCase Of(int index, JsonObject spec, string mutation) => new(index, spec, [mutation], SpecOracle.Judge(spec));

    public static JsonObject ValidBase() => (JsonObject)Samples.ValidConnector().Spec().DeepClone();

    private static JsonObject RandomValidSpec(Random random)
    {
        var production = random.Next(3) == 0;
        var users = new JsonArray();
        var prefix = RandomIdentifier(random);
        for (var i = 1; i <= random.Next(production ? 2 : 1, 5); i++)
        {
            var user = new JsonObject { ["loginName"] = $"{prefix}-{i}", ["credentialsSecretRef"] = new JsonObject { ["name"] = $"agent-{i}-credentials" } };
            if (random.Next(4) == 0) user["running"] = random.Next(2) == 0;
            users.Add(user);
        }
        var spec = new JsonObject
        {
            ["bot"] = new JsonObject { ["id"] = RandomIdentifier(random) },
            ["accountId"] = random.NextInt64(1, 1_000_000_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["conversationType"] = random.Pick(["Messaging", "Chat"]),
            ["environment"] = production ? "Production" : "Demo",
            ["agentUsers"] = users,
        };
        if (random.Next(3) == 0) spec["role"] = random.Pick(["Agent", "Manager"]);
        if (random.Next(3) == 0) spec["fallbackSkillId"] = random.Next(1, 99999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (random.Next(4) == 0) spec["bot"]!["endpoint"] = "https://bots.example.com/" + Uri.EscapeDataString(RandomIdentifier(random));
        if (random.Next(4) == 0) spec["replicas"] = random.Next(0, 6);
        if (random.Next(3) == 0)
        {
            var min = random.Next(production ? 2 : 0, 4);
            spec["scaling"] = new JsonObject
            {
                ["minReplicas"] = min,
                ["maxReplicas"] = min + random.Next(1, 4),
                ["conversationsPerConnector"] = random.Next(1, 1001),
                ["expectedConcurrentConversations"] = random.Next(0, 500),
            };
        }
        if (random.Next(3) == 0)
        {
            spec["customConfiguration"] = new JsonObject { ["messageDelay"] = "300", ["defaultGreetingMessage"] = RandomText(random) };
        }
        if (random.Next(4) == 0) spec["externalWebhook"] = new JsonObject { ["url"] = "https://hooks.example.com/bot", ["apiKeySecretRef"] = new JsonObject { ["name"] = "hook-key" } };
        if (random.Next(5) == 0) spec["image"] = "registry.example.com/connector:1.2";
        if (random.Next(4) == 0)
        {
            spec["podTemplate"] = new JsonObject
            {
                ["labels"] = new JsonObject { ["team"] = "bots" },
                ["annotations"] = new JsonObject { ["note"] = RandomText(random) },
                ["tolerations"] = new JsonArray(new JsonObject { ["key"] = "dedicated", ["operator"] = "Equal", ["value"] = "bots", ["tolerationSeconds"] = 60 }),
            };
        }
        return spec;
    }

    private string Mutate(JsonObject spec, Random random)
    {
        var roll = random.Next(100);
        if (roll < 12) return MutateMap(spec, random);
        if (roll < 20) return MutateAgentUsers(spec, random);
        if (roll < 25) return AddUnknownField(spec, random);
        var field = random.Pick(FuzzFields.All);
        var paths = SpecPath.Expand(spec, field.Path).ToList();
        var path = paths.Count > 0 ? random.Pick(paths) : field.Path.Select(s => s is SpecPath.AnyItem ? (object)0 : s).ToList();
        var name = SpecPath.Name(path);
        roll = random.Next(100);
        if (roll < 8)
        {
            SpecPath.Remove(spec, path);
            return $"remove {name}";
        }
        if (roll < 12)
        {
            SpecPath.Set(spec, path, null);
            return $"null {name}";
        }
        if (roll < 24)
        {
            var wrong = FuzzValues.WrongType(field.Kind, random);
            SpecPath.Set(spec, path, wrong);
            return $"{name} = {wrong?.ToJsonString()} (wrong type)";
        }
        JsonNode? value = field.Kind switch
        {
            FieldKind.Integer => JsonNode.Parse(random.Pick(FuzzValues.Numbers)),
            FieldKind.Flag => random.Next(2) == 0,
            FieldKind.Choice => random.Next(3) == 0 ? random.Pick(field.Values!) : MutateString(random.Pick(field.Values!), random, 64),
            FieldKind.Nested or FieldKind.Map => new JsonObject { ["fuzzUnknown"] = "x" },
            FieldKind.List => new JsonArray(),
            _ => MutateString(SpecPath.Get(spec, path) is JsonValue v && v.TryGetValue<string>(out var s) ? s : field.Sample ?? "x", random, field.Max),
        };
        SpecPath.Set(spec, path, value);
        return $"{name} = {Show(value)}";
    }

    private static string MutateMap(JsonObject spec, Random random)
    {
        var map = random.Pick(new[] { "customConfiguration", "podTemplate.labels", "podTemplate.nodeSelector", "podTemplate.annotations", "podTemplate.resources.requests" });
        var path = map.Split('.');
        var (kind, max) = FuzzFields.MapValues("spec." + map);
        var existing = SpecPath.Get(spec, path) as JsonObject;
        var roll = random.Next(10);
        var key = existing is { Count: > 0 } && roll < 4 ? random.Pick(existing.Select(p => p.Key).ToList())
            : roll < 6 ? MutateString("fuzz-key", random, 64)
            : map == "customConfiguration" ? random.Pick(["messageDelay", "tileDisplay", "defaultGreetingMessage", "lpPassword", "lpAccountId", "fuzzFutureKey"])
            : "fuzz-key";
        var sample = kind == FieldKind.Text ? "hello" : kind == FieldKind.LabelValue ? "bots" : "100m";
        var value = random.Next(8) switch
        {
            0 => FuzzValues.WrongType(FieldKind.Text, random),
            1 when kind == FieldKind.Quantity => random.Pick(FuzzValues.Quantities),
            _ => MutateString(sample, random, max),
        };
        SpecPath.Set(spec, [.. path, key], value);
        return $"spec.{map}[{Show(key)}] = {Show(value)}";
    }

    private static string MutateAgentUsers(JsonObject spec, Random random)
    {
        var users = spec["agentUsers"] as JsonArray;
        switch (random.Next(4))
        {
            case 0:
                spec["agentUsers"] = new JsonArray();
                return "spec.agentUsers = []";
            case 1 when users is { Count: > 0 } && users[0] is JsonObject:
                users.Add(users[0]!.DeepClone());
                return "spec.agentUsers += a copy of the first (duplicate loginName)";
            case 2:
                spec["agentUsers"] = new JsonArray([.. Enumerable.Range(0, 101).Select(i => (JsonNode)new JsonObject { ["loginName"] = $"bulk-{i}", ["credentialsSecretRef"] = new JsonObject { ["name"] = $"bulk-{i}" } })]);
                return "spec.agentUsers = 101 agent users";
            default:
                var added = new JsonObject { ["loginName"] = $"added-{random.Next(1000)}", ["credentialsSecretRef"] = new JsonObject { ["name"] = "added-credentials" } };
                if (users is null) spec["agentUsers"] = new JsonArray(added);
                else users.Add(added);
                return "spec.agentUsers += a new agent user";
        }
    }

    private static string AddUnknownField(JsonObject spec, Random random)
    {
        var where = random.Pick(new[] { spec, spec["bot"] as JsonObject, (spec["agentUsers"] as JsonArray)?.FirstOrDefault() as JsonObject });
        (where ?? spec)["fuzzExtra" + random.Next(10)] = random.Next(2) == 0 ? "\0\u202E" : new JsonObject { ["deep"] = new JsonArray(1, "x") };
        return "unknown field (pruned)";
    }

    /// <summary>A variation of a string: a hidden or foreign character somewhere, a replacement, an edge length.</summary>
    private static string MutateString(string current, Random random, long max)
    {
        var limit = (int)Math.Min(max <= 0 ? 4096 : max, 100_000);
        switch (random.Next(12))
        {
            case < 4:
                return Insert(current, random.Pick(FuzzValues.Hidden), random);
            case < 6:
                return Insert(current, random.Pick(FuzzValues.Foreign), random);
            case 6:
                return random.Pick(FuzzValues.Foreign) + random.Pick(FuzzValues.Foreign);
            case 7:
                return "";
            case 8:
                return Insert(current, FuzzValues.JoinedEmoji, random);
            case 9:
                // At the limit and one past it, in characters that take two UTF-16 units.
                return string.Concat(Enumerable.Repeat("🙂", limit + random.Next(2)));
            case 10:
                return new string('a', random.Next(2) == 0 ? limit : random.Next(limit + 1, 200_000));
            default:
                var junk = new StringBuilder();
                for (var i = random.Next(1, 12); i > 0; i--) junk.Append(random.Next(3) == 0 ? random.Pick(FuzzValues.Hidden) : random.Pick(FuzzValues.Foreign));
                return junk.ToString();
        }
    }

    private static string Insert(string text, string piece, Random random)
    {
        var at = random.Next(3) switch { 0 => 0, 1 => text.Length, _ => random.Next(text.Length + 1) };
        if (at > 0 && at < text.Length && char.IsLowSurrogate(text[at])) at--;
        return text.Insert(at, piece);
    }

    private static string RandomIdentifier(Random random)
    {
        var text = new StringBuilder("bot");
        for (var i = random.Next(1, 4); i > 0; i--) text.Append('-').Append(random.Next(4) == 0 ? random.Pick(FuzzValues.Foreign[..13]) : random.Next(1000).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return text.ToString();
    }

    private static string RandomText(Random random) => random.Pick(["hi", "Hello! 👋", "مرحبا", "line one\nline two", "tab\there", "שלום עולם", "zero\u200Bwidth is text"]);

    private static string Show(JsonNode? value) => value is null ? "null" : Show(value.ToJsonString());

    private static string Show(string text) => text.Length <= 80 ? text : $"{text[..40]}...({text.Length} chars)";
}
