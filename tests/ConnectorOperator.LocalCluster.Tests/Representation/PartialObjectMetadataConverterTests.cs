using ConnectorOperator.LocalCluster.Representation;
using static ConnectorOperator.LocalCluster.Tests.Patching.JsonAssert;

namespace ConnectorOperator.LocalCluster.Tests.Representation;

public sealed class PartialObjectMetadataConverterTests
{
    private const string Secret = """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"ns","resourceVersion":"7","labels":{"a":"b"}},"data":{"k":"dg=="}}""";

    [Fact]
    public void Partial_keeps_only_metadata_under_the_meta_group_type()
    {
        var secret = Obj(Secret);

        var partial = PartialObjectMetadataConverter.ToPartial(secret);

        Equal("""{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"s","namespace":"ns","resourceVersion":"7","labels":{"a":"b"}}}""", partial);
        partial["metadata"]!["labels"]!["a"] = "changed";
        Equal(Secret, secret);
    }

    [Fact]
    public void Partial_list_carries_list_metadata_and_typed_items()
    {
        var list = PartialObjectMetadataConverter.ToPartialList([Obj(Secret)], "9", "tok");

        Equal("""
            {"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":"9","continue":"tok"},
             "items":[{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"s","namespace":"ns","resourceVersion":"7","labels":{"a":"b"}}}]}
            """, list);
    }

    [Fact]
    public void Empty_partial_list_has_no_continue()
    {
        var list = PartialObjectMetadataConverter.ToPartialList([], "3", null);

        Equal("""{"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":"3"},"items":[]}""", list);
    }
}
