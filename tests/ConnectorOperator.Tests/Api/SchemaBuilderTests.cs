using System.Text.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.Api;
using ConnectorOperator.Api.Schema;

namespace ConnectorOperator.Tests.Api;

public sealed class SchemaBuilderTests
{
    public sealed class Outer
    {
        public Inner? Inner { get; set; }
    }

    public sealed class Inner
    {
        public string? Name { get; set; }
    }

    public sealed class EmptyStatus;

    public sealed class Loose
    {
        public JsonElement? Anything { get; set; }
    }

    private static CrdDefinition Definition(SchemaTypeSet types, Type spec) => AgentConnectorCrd.Definition with
    {
        Types = types.Add<EmptyStatus>(),
        SpecType = spec,
        StatusType = typeof(EmptyStatus),
    };

    [Fact]
    public void A_type_missing_from_the_type_set_fails_generation_naming_it()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CrdGenerator.Generate(Definition(new SchemaTypeSet().Add<Outer>(), typeof(Outer))));
        Assert.Contains("Inner", error.Message, StringComparison.Ordinal);
        Assert.Contains("SchemaTypeSet.Add<Inner>()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Free_form_json_without_preserve_unknown_fields_fails_generation()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CrdGenerator.Generate(Definition(new SchemaTypeSet().Add<Loose>(), typeof(Loose))));
        Assert.Contains("Loose.Anything", error.Message, StringComparison.Ordinal);
        Assert.Contains("[PreserveUnknownFields]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nested_classes_become_objects_with_camel_case_properties()
    {
        var crd = CrdGenerator.Generate(Definition(new SchemaTypeSet().Add<Outer>().Add<Inner>(), typeof(Outer)));
        var spec = crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!;
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"type":"object","properties":{"inner":{"type":"object","properties":{"name":{"type":"string"}}}}}"""),
            spec));
    }

    [Fact]
    public void Enum_names_in_the_crd_are_what_the_operator_serializes()
    {
        var connector = new AgentConnector
        {
            Spec = new AgentConnectorSpec
            {
                ConversationType = ConversationType.Chat,
                Role = AgentRole.Manager,
                Environment = DeploymentEnvironment.Production,
            },
        };
        var json = JsonSerializer.SerializeToNode(connector, AgentConnectorJsonContext.Default.AgentConnector)!;
        Assert.Equal("Chat", (string?)json["spec"]!["conversationType"]);
        Assert.Equal("Manager", (string?)json["spec"]!["role"]);
        Assert.Equal("Production", (string?)json["spec"]!["environment"]);
    }
}
