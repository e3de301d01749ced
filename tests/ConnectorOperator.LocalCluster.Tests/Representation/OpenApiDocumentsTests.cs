using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Representation;
using static ConnectorOperator.LocalCluster.Tests.Patching.JsonAssert;

namespace ConnectorOperator.LocalCluster.Tests.Representation;

public sealed class OpenApiDocumentsTests
{
    private const string ConnectorDefinition = "dev.connectoroperator.v1alpha1.AgentConnector";
    private const string ObjectMetaDefinition = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

    private static JsonObject ConnectorSchema(string replicasType = "integer") => Obj($$$$"""
        {"type":"object",
         "properties":{
           "spec":{"type":"object","required":["replicas"],
             "properties":{"replicas":{"type":"{{{{replicasType}}}}","minimum":0,"default":1},
                           "skill":{"type":"string","nullable":true},
                           "port":{"x-kubernetes-int-or-string":true,"anyOf":[{"type":"integer"},{"type":"string"}]}}},
           "status":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}
        """);

    private static List<ServedKind> Kinds(JsonObject? connectorSchema = null) =>
    [
        new("connectoroperator.dev", "v1alpha1", "AgentConnector", "agentconnectors", true, connectorSchema ?? ConnectorSchema(), HasStatus: true, HasScale: true),
        new("", "v1", "Pod", "pods", true, null, HasStatus: true, HasScale: false),
        new("", "v1", "Namespace", "namespaces", false, null, HasStatus: true, HasScale: false),
        new("coordination.k8s.io", "v1", "Lease", "leases", true, null, HasStatus: false, HasScale: false),
        new("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false, null, HasStatus: true, HasScale: false),
    ];

    [Fact]
    public void V3_index_lists_every_group_version_with_a_hashed_server_relative_url()
    {
        var index = OpenApiDocuments.V3Index(Kinds());

        var paths = (JsonObject)index["paths"]!;
        Assert.Equal(["api/v1", "apis/apiextensions.k8s.io/v1", "apis/connectoroperator.dev/v1alpha1", "apis/coordination.k8s.io/v1"], paths.Select(p => p.Key));
        var url = (string)paths["apis/connectoroperator.dev/v1alpha1"]!["serverRelativeURL"]!;
        Assert.Matches("^/openapi/v3/apis/connectoroperator.dev/v1alpha1\\?hash=[0-9A-F]{128}$", url);
        Assert.StartsWith("/openapi/v3/api/v1?hash=", (string)paths["api/v1"]!["serverRelativeURL"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void Hash_is_stable_and_changes_only_with_the_group_versions_content()
    {
        var first = OpenApiDocuments.V3Index(Kinds());
        var reordered = OpenApiDocuments.V3Index([.. Kinds().AsEnumerable().Reverse()]);
        var changed = OpenApiDocuments.V3Index(Kinds(ConnectorSchema(replicasType: "number")));

        Equal(first.ToJsonString(), reordered);
        Assert.NotEqual((string?)first["paths"]!["apis/connectoroperator.dev/v1alpha1"]!["serverRelativeURL"], (string?)changed["paths"]!["apis/connectoroperator.dev/v1alpha1"]!["serverRelativeURL"]);
        Assert.Equal((string?)first["paths"]!["api/v1"]!["serverRelativeURL"], (string?)changed["paths"]!["api/v1"]!["serverRelativeURL"]);
    }

    [Fact]
    public void V3_crd_document_embeds_the_schema_with_gvk_and_object_meta()
    {
        var doc = OpenApiDocuments.V3GroupVersion(Kinds(), "connectoroperator.dev", "v1alpha1");

        Assert.Equal("3.0.0", (string?)doc["openapi"]);
        var schemas = (JsonObject)doc["components"]!["schemas"]!;
        var connector = (JsonObject)schemas[ConnectorDefinition]!;
        Equal("""[{"group":"connectoroperator.dev","kind":"AgentConnector","version":"v1alpha1"}]""", connector["x-kubernetes-group-version-kind"]);
        Equal("""{"type":"integer","minimum":0,"default":1}""", connector["properties"]!["spec"]!["properties"]!["replicas"]);
        Assert.True((bool?)connector["properties"]!["spec"]!["properties"]!["skill"]!["nullable"]);
        Equal($$"""[{"$ref":"#/components/schemas/{{ObjectMetaDefinition}}"}]""", connector["properties"]!["metadata"]!["allOf"]);
        Assert.Equal("string", (string?)connector["properties"]!["apiVersion"]!["type"]);
        Equal("""[{"group":"connectoroperator.dev","kind":"AgentConnectorList","version":"v1alpha1"}]""", schemas[ConnectorDefinition + "List"]!["x-kubernetes-group-version-kind"]);
        Assert.NotNull(schemas[ObjectMetaDefinition]);
        Assert.DoesNotContain(schemas, s => s.Key.Contains("Pod", StringComparison.Ordinal));
        AssertReferencesResolve(doc, "#/components/schemas/", schemas);
    }

    [Fact]
    public void V3_patch_operations_advertise_field_validation_for_their_kind_as_kubectl_checks()
    {
        var crdDoc = OpenApiDocuments.V3GroupVersion(Kinds(), "connectoroperator.dev", "v1alpha1");
        var coreDoc = OpenApiDocuments.V3GroupVersion(Kinds(), "", "v1");

        Assert.True(SupportsQueryParam(crdDoc, "connectoroperator.dev", "v1alpha1", "AgentConnector", "fieldValidation"));
        Assert.True(SupportsQueryParam(coreDoc, "", "v1", "Namespace", "fieldValidation"));
        Assert.True(SupportsQueryParam(coreDoc, "", "v1", "Pod", "fieldValidation"));
        Assert.NotNull(crdDoc["paths"]!["/apis/connectoroperator.dev/v1alpha1/namespaces/{namespace}/agentconnectors/{name}/status"]!["patch"]);
        Equal("""{"group":"autoscaling","kind":"Scale","version":"v1"}""", crdDoc["paths"]!["/apis/connectoroperator.dev/v1alpha1/namespaces/{namespace}/agentconnectors/{name}/scale"]!["patch"]!["x-kubernetes-group-version-kind"]);
        Assert.NotNull(coreDoc["paths"]!["/api/v1/namespaces/{name}"]);
    }

    [Fact]
    public void Built_in_kinds_are_loose_and_never_offer_strategic_merge_to_kubectl()
    {
        var doc = OpenApiDocuments.V3GroupVersion(Kinds(), "", "v1");

        var pod = (JsonObject)doc["components"]!["schemas"]!["io.k8s.api.core.v1.Pod"]!;
        Assert.True((bool?)pod["x-kubernetes-preserve-unknown-fields"]);
        Equal("""[{"group":"","kind":"Pod","version":"v1"}]""", pod["x-kubernetes-group-version-kind"]);
        var patchContent = (JsonObject)doc["paths"]!["/api/v1/namespaces/{namespace}/pods/{name}"]!["patch"]!["requestBody"]!["content"]!;
        Assert.Equal(["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json"], patchContent.Select(c => c.Key));
        AssertReferencesResolve(doc, "#/components/schemas/", (JsonObject)doc["components"]!["schemas"]!);
    }

    [Fact]
    public void Definition_names_follow_kubernetes_conventions()
    {
        var doc = OpenApiDocuments.V2(Kinds());
        var names = ((JsonObject)doc["definitions"]!).Select(d => d.Key).ToList();

        Assert.Contains(ConnectorDefinition, names);
        Assert.Contains("io.k8s.api.core.v1.Pod", names);
        Assert.Contains("io.k8s.api.coordination.v1.Lease", names);
        Assert.Contains("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition", names);
        Assert.Contains("io.k8s.api.autoscaling.v1.Scale", names);
    }

    [Fact]
    public void V2_is_swagger_2_with_v2_references_and_no_v3_only_keywords()
    {
        var schema = ConnectorSchema();
        var doc = OpenApiDocuments.V2(Kinds(schema));

        Assert.Equal("2.0", (string?)doc["swagger"]);
        var definitions = (JsonObject)doc["definitions"]!;
        var connector = definitions[ConnectorDefinition]!;
        Equal("""[{"group":"connectoroperator.dev","kind":"AgentConnector","version":"v1alpha1"}]""", connector["x-kubernetes-group-version-kind"]);
        Assert.Equal($"#/definitions/{ObjectMetaDefinition}", (string?)connector["properties"]!["metadata"]!["$ref"]);
        Assert.Null(connector["properties"]!["spec"]!["properties"]!["skill"]!["nullable"]);
        Assert.Null(connector["properties"]!["spec"]!["properties"]!["port"]!["anyOf"]);
        Assert.True((bool?)schema["properties"]!["spec"]!["properties"]!["skill"]!["nullable"]);
        var patch = (JsonObject)doc["paths"]!["/apis/connectoroperator.dev/v1alpha1/namespaces/{namespace}/agentconnectors/{name}"]!["patch"]!;
        Assert.Contains(patch["parameters"]!.AsArray(), p => (string?)p!["name"] == "fieldValidation" && (string?)p["in"] == "query");
        Equal("""{"group":"connectoroperator.dev","kind":"AgentConnector","version":"v1alpha1"}""", patch["x-kubernetes-group-version-kind"]);
        AssertReferencesResolve(doc, "#/definitions/", definitions);
        Equal(doc.ToJsonString(), JsonNode.Parse(doc.ToJsonString()));
    }

    [Fact]
    public void A_group_version_that_is_not_served_gives_an_empty_document()
    {
        var doc = OpenApiDocuments.V3GroupVersion(Kinds(), "apps", "v1");

        Equal("{}", doc["paths"]);
        Assert.DoesNotContain((JsonObject)doc["components"]!["schemas"]!, s => s.Value!["x-kubernetes-group-version-kind"]?[0]?["group"]?.GetValue<string>() == "apps");
    }

    /// <summary>kubectl's check: some PATCH operation tagged with the GVK lists the parameter as a query parameter.</summary>
    private static bool SupportsQueryParam(JsonObject doc, string group, string version, string kind, string parameter) =>
        ((JsonObject)doc["paths"]!)
            .Select(p => p.Value!["patch"])
            .Where(op => op is not null
                && (string?)op["x-kubernetes-group-version-kind"]!["group"] == group
                && (string?)op["x-kubernetes-group-version-kind"]!["version"] == version
                && (string?)op["x-kubernetes-group-version-kind"]!["kind"] == kind)
            .Any(op => op!["parameters"]!.AsArray().Any(p => (string?)p!["name"] == parameter && (string?)p["in"] == "query"));

    private static void AssertReferencesResolve(JsonNode node, string prefix, JsonObject definitions)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key == "$ref")
                    {
                        var target = (string)value!;
                        Assert.StartsWith(prefix, target, StringComparison.Ordinal);
                        Assert.True(definitions.ContainsKey(target[prefix.Length..]), $"unresolved {target}");
                    }
                    else if (value is not null)
                    {
                        AssertReferencesResolve(value, prefix, definitions);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array.OfType<JsonNode>())
                {
                    AssertReferencesResolve(item, prefix, definitions);
                }

                break;
        }
    }
}
