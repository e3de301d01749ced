using System.Text.Json.Nodes;
using ConnectorOperator.Api;
using ConnectorOperator.Api.Schema;
using ConnectorOperator.Commands;
using ConnectorOperator.LocalCluster.Schema;
using ConnectorOperator.Tests.Support;

namespace ConnectorOperator.Tests.Api;

public sealed class CrdManifestTests
{
    [Fact]
    public void Committed_manifests_match_the_generator()
    {
        foreach (var (relativePath, content) in ManifestsCommand.Render())
        {
            var committed = RepositoryFiles.PathOf(Path.Combine("config", "crd", relativePath));
            Assert.True(File.Exists(committed), $"{committed} is missing: run `make manifests` and commit the result.");
            Assert.True(File.ReadAllText(committed) == content,
                $"config/crd/{relativePath} differs from what the C# types generate: run `make manifests` and commit the result.");
        }
    }

    [Fact]
    public void Generation_is_deterministic()
    {
        var first = CrdYaml.Write(CrdGenerator.Generate(AgentConnectorCrd.Definition));
        var second = CrdYaml.Write(CrdGenerator.Generate(AgentConnectorCrd.Definition));
        Assert.Equal(first, second);
    }

    [Fact]
    public void Committed_yaml_reads_back_as_the_generated_crd()
    {
        var committed = YamlDocuments.ParseSingle(RepositoryFiles.Read(GeneratedCrd.CommittedPath));
        Assert.True(JsonNode.DeepEquals(GeneratedCrd.Crd, committed), "The YAML writer lost or changed a value on the way.");
    }

    [Fact]
    public void Schema_is_structural()
    {
        var schema = StructuralSchema.Parse(GeneratedCrd.OpenApiSchema);
        Assert.NotNull(schema);
    }

    [Fact]
    public void Names_scope_and_version_follow_the_api()
    {
        var spec = GeneratedCrd.Crd["spec"]!;
        Assert.Equal("agentconnectors.connectoroperator.dev", (string?)GeneratedCrd.Crd["metadata"]!["name"]);
        Assert.Equal("connectoroperator.dev", (string?)spec["group"]);
        Assert.Equal("Namespaced", (string?)spec["scope"]);
        Assert.Equal("AgentConnector", (string?)spec["names"]!["kind"]);
        Assert.Equal("agentconnectors", (string?)spec["names"]!["plural"]);
        Assert.Equal(["agc"], spec["names"]!["shortNames"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["connectoroperator"], spec["names"]!["categories"]!.AsArray().Select(n => (string)n!));
        var version = spec["versions"]![0]!;
        Assert.Equal("v1alpha1", (string?)version["name"]);
        Assert.True((bool)version["served"]!);
        Assert.True((bool)version["storage"]!);
    }

    [Fact]
    public void Status_and_scale_subresources_point_at_replicas_and_selector()
    {
        var subresources = GeneratedCrd.Crd["spec"]!["versions"]![0]!["subresources"]!;
        Assert.NotNull(subresources["status"]);
        Assert.Equal(".spec.replicas", (string?)subresources["scale"]!["specReplicasPath"]);
        Assert.Equal(".status.replicas", (string?)subresources["scale"]!["statusReplicasPath"]);
        Assert.Equal(".status.selector", (string?)subresources["scale"]!["labelSelectorPath"]);
    }

    [Fact]
    public void Printer_columns_show_bot_state_and_load_with_account_and_role_in_wide_output()
    {
        var columns = GeneratedCrd.Crd["spec"]!["versions"]![0]!["additionalPrinterColumns"]!.AsArray()
            .Select(c => ((string)c!["name"]!, (string)c["jsonPath"]!, (int?)c["priority"] ?? 0))
            .ToList();
        Assert.Equal(
            [
                ("Bot", ".spec.bot.id", 0), ("Type", ".spec.conversationType", 0), ("Env", ".spec.environment", 0),
                ("State", ".status.state", 0), ("Ready", ".status.readyReplicas", 0), ("Desired", ".status.desiredReplicas", 0),
                ("Conversations", ".status.activeConversations", 0), ("Account", ".spec.accountId", 1), ("Role", ".spec.role", 1),
                ("Age", ".metadata.creationTimestamp", 0),
            ],
            columns);
    }

    [Fact]
    public void Spec_schema_carries_required_fields_defaults_and_enums()
    {
        var spec = GeneratedCrd.OpenApiSchema["properties"]!["spec"]!;
        Assert.Equal(["accountId", "agentUsers", "bot", "conversationType"], spec["required"]!.AsArray().Select(n => (string)n!));
        var properties = spec["properties"]!;
        Assert.Equal("Agent", (string?)properties["role"]!["default"]);
        Assert.Equal("Demo", (string?)properties["environment"]!["default"]);
        Assert.True((bool)properties["running"]!["default"]!);
        Assert.True((bool)properties["accessibility"]!["default"]!);
        Assert.Equal(["Messaging", "Chat"], properties["conversationType"]!["enum"]!.AsArray().Select(n => (string)n!));
        Assert.Null(properties["bot"]!["properties"]!["endpoint"]!["default"]);
        var scaling = properties["scaling"]!["properties"]!;
        var perConnector = scaling["conversationsPerConnector"]!;
        Assert.Equal(50L, (long)perConnector["default"]!);
        Assert.Equal(AgentConnectorRules.MaxConversationsPerConnector, (long)perConnector["maximum"]!);
        // The description spells the numbers out; it must say what the constants say.
        Assert.Contains($"The default, {AgentConnectorRules.BaselineConversationsPerConnector}, is the documented baseline; up to {AgentConnectorRules.MaxConversationsPerConnector} is accepted",
            (string)perConnector["description"]!, StringComparison.Ordinal);
        Assert.Equal(300L, (long)scaling["scaleDownStabilizationSeconds"]!["default"]!);
        Assert.Equal(3L, (long)scaling["scaleUpStabilizationSeconds"]!["default"]!);
        var agentUsers = properties["agentUsers"]!;
        Assert.Equal("map", (string?)agentUsers["x-kubernetes-list-type"]);
        Assert.Equal(["loginName"], agentUsers["x-kubernetes-list-map-keys"]!.AsArray().Select(n => (string)n!));
        Assert.True((bool)agentUsers["items"]!["properties"]!["running"]!["default"]!);
    }

    [Fact]
    public void Cel_rules_use_no_kubernetes_library_functions()
    {
        var kubernetesOnly = new[] { "isURL", "url(", "isSorted", "indexOf", "find(", "findAll", "quantity", "ip(", "cidr(", "semver", "format." };
        foreach (var rule in Rules(GeneratedCrd.OpenApiSchema))
        {
            Assert.DoesNotContain(kubernetesOnly, f => rule.Contains(f, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Manifests_command_writes_the_crd_and_kustomization()
    {
        var folder = Directory.CreateTempSubdirectory("connector-operator-manifests-");
        try
        {
            var root = new System.CommandLine.RootCommand { ManifestsCommand.Create() };
            var exitCode = await root.Parse(["manifests", "--output", folder.FullName]).InvokeAsync();
            Assert.Equal(0, exitCode);
            foreach (var (relativePath, content) in ManifestsCommand.Render())
            {
                Assert.Equal(content, await File.ReadAllTextAsync(Path.Combine(folder.FullName, relativePath)));
            }
            Assert.Contains("- bases/connectoroperator.dev_agentconnectors.yaml", await File.ReadAllTextAsync(Path.Combine(folder.FullName, "kustomization.yaml")));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static IEnumerable<string> Rules(JsonNode? node) => node switch
    {
        JsonObject obj => (obj["x-kubernetes-validations"] is JsonArray rules ? rules.Select(r => (string)r!["rule"]!) : [])
            .Concat(obj.Where(p => p.Key != "x-kubernetes-validations").SelectMany(p => Rules(p.Value))),
        JsonArray array => array.SelectMany(Rules),
        _ => [],
    };
}
