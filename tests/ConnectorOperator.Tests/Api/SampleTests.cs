using System.Text.Json.Nodes;
using ConnectorOperator.Contracts;
using ConnectorOperator.Tests.Support;

namespace ConnectorOperator.Tests.Api;

/// <summary>The samples in config/samples are what users copy first: they must pass the generated CRD and the operator.</summary>
public sealed class SampleTests(CelEvaluatorFixture cel) : IClassFixture<CelEvaluatorFixture>
{
    private static List<string> SampleFileNames() =>
        [.. Directory.GetFiles(RepositoryFiles.PathOf("config/samples"), "*.yaml")
            .Select(path => Path.GetFileName(path))
            .Order(StringComparer.Ordinal)];

    public static TheoryData<string> SampleFiles() => [.. SampleFileNames()];

    private static IEnumerable<JsonObject> Documents(string file, string kind) =>
        YamlDocuments.Parse(RepositoryFiles.Read(Path.Combine("config/samples", file))).Where(d => (string?)d["kind"] == kind);

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public void Sample_agent_connectors_pass_the_generated_crd_with_cel(string file)
    {
        var connectors = Documents(file, "AgentConnector").ToList();
        Assert.NotEmpty(connectors);
        foreach (var connector in connectors)
        {
            var errors = GeneratedCrd.Validate(connector, cel.Evaluator);
            Assert.True(errors.Count == 0, $"{file}: {string.Join("; ", errors)}");
        }
    }

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public void Sample_agent_connectors_pass_the_spec_validator_without_warnings(string file)
    {
        foreach (var connector in Documents(file, "AgentConnector"))
        {
            var result = GeneratedCrd.ValidateSpec(connector);
            Assert.True(result.Errors.Count == 0 && result.Warnings.Count == 0,
                $"{file}: {string.Join("; ", result.Errors.Concat(result.Warnings))}");
        }
    }

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public void Every_referenced_credentials_secret_is_in_the_sample_with_fake_api_key_values(string file)
    {
        var secrets = Documents(file, "Secret").ToDictionary(s => (string)s["metadata"]!["name"]!);
        foreach (var connector in Documents(file, "AgentConnector"))
        {
            foreach (var user in connector["spec"]!["agentUsers"]!.AsArray())
            {
                var name = (string)user!["credentialsSecretRef"]!["name"]!;
                Assert.True(secrets.TryGetValue(name, out var secret), $"{file}: Secret {name} is not in the sample.");
                var data = secret["stringData"]!.AsObject();
                Assert.Equal(
                    new[] { AgentCredentialKeys.AccessToken, AgentCredentialKeys.AccessTokenSecret, AgentCredentialKeys.AppKey, AgentCredentialKeys.AppSecret },
                    data.Select(p => p.Key).Order(StringComparer.Ordinal));
                Assert.All(data, p => Assert.Equal("replace-me", (string?)p.Value));
            }
        }
    }

    [Fact]
    public void Samples_cover_demo_messaging_and_production_chat()
    {
        var specs = SampleFileNames().SelectMany(f => Documents(f, "AgentConnector"))
            .Select(c => ((string?)c["spec"]!["environment"], (string?)c["spec"]!["conversationType"], c["spec"]!["agentUsers"]!.AsArray().Count))
            .ToList();
        Assert.Contains(("Demo", "Messaging", 1), specs);
        Assert.Contains(specs, s => s.Item1 == "Production" && s.Item2 == "Chat" && s.Item3 >= 2);
    }

    [Fact]
    public void Kustomization_lists_every_sample()
    {
        // Named Kustomization (no extension) so `kubectl apply -f config/samples/` does not try to apply it as an object.
        var kustomization = YamlDocuments.ParseSingle(RepositoryFiles.Read("config/samples/Kustomization"));
        var resources = kustomization["resources"]!.AsArray().Select(n => (string)n!).Order(StringComparer.Ordinal);
        Assert.Equal(SampleFileNames(), resources);
    }
}
