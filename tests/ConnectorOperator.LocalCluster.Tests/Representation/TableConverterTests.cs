using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Representation;
using static ConnectorOperator.LocalCluster.Tests.Patching.JsonAssert;

namespace ConnectorOperator.LocalCluster.Tests.Representation;

public sealed class TableConverterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private static readonly JsonArray ConnectorColumns = (JsonArray)Parse("""
        [{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"},
         {"name":"Replicas","type":"integer","jsonPath":".spec.replicas"},
         {"name":"First User","type":"string","jsonPath":".spec.agentUsers[0].loginName","priority":1},
         {"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}]
        """)!;

    private static JsonObject Connector(string name, string ready, int replicas) => Obj($$$"""
        {"apiVersion":"connectoroperator.dev/v1alpha1","kind":"AgentConnector",
         "metadata":{"name":"{{{name}}}","namespace":"ns","creationTimestamp":"2026-11-21T11:55:00Z","uid":"u-{{{name}}}"},
         "spec":{"replicas":{{{replicas}}},"agentUsers":[{"loginName":"bot-{{{name}}}"}]},
         "status":{"conditions":[{"type":"Progressing","status":"True"},{"type":"Ready","status":"{{{ready}}}"}]}}
        """);

    [Fact]
    public void Custom_resource_table_has_name_first_then_the_printer_columns()
    {
        var columns = TableConverter.ColumnsForCustomResource(ConnectorColumns);

        var table = TableConverter.ToTable(columns, [Connector("a", "True", 2)], "42", "next", "Metadata", Now);

        Assert.Equal("Table", (string?)table["kind"]);
        Assert.Equal("meta.k8s.io/v1", (string?)table["apiVersion"]);
        Equal("""{"resourceVersion":"42","continue":"next"}""", table["metadata"]);
        Equal("""
            [{"name":"Name","type":"string","format":"name","description":"Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated.","priority":0},
             {"name":"Ready","type":"string","format":"","description":"","priority":0},
             {"name":"Replicas","type":"integer","format":"","description":"","priority":0},
             {"name":"First User","type":"string","format":"","description":"","priority":1},
             {"name":"Age","type":"date","format":"","description":"","priority":0}]
            """, table["columnDefinitions"]);
        Equal("""["a","True",2,"bot-a","5m"]""", table["rows"]![0]!["cells"]);
    }

    [Fact]
    public void Missing_values_are_null_cells_and_type_mismatches_too()
    {
        var columns = TableConverter.ColumnsForCustomResource(ConnectorColumns);
        var connector = Connector("b", "False", 1);
        connector["spec"]!["replicas"] = "many";
        connector.Remove("status");

        var table = TableConverter.ToTable(columns, [connector], null, null, "None", Now);

        Equal("""["b",null,null,"bot-b","5m"]""", table["rows"]![0]!["cells"]);
        Assert.Null(table["rows"]![0]!.AsObject()["object"]);
        Equal("{}", table["metadata"]);
    }

    [Fact]
    public void A_crd_without_printer_columns_gets_an_age_column()
    {
        var columns = TableConverter.ColumnsForCustomResource(null);

        Assert.Equal(["Name", "Age"], columns.Select(c => c.Name));
        Assert.Equal("date", columns[1].Type);
    }

    [Theory]
    [InlineData("Metadata", """{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"a","namespace":"ns","creationTimestamp":"2026-11-21T11:55:00Z","uid":"u-a"}}""")]
    [InlineData("Object", null)]
    public void Row_object_follows_include_object(string includeObject, string? expected)
    {
        var connector = Connector("a", "True", 1);

        var table = TableConverter.ToTable(TableConverter.ColumnsForCustomResource(null), [connector], "1", null, includeObject, Now);

        Equal(expected ?? connector.ToJsonString(), table["rows"]![0]!["object"]);
    }

    private static JsonObject Pod(string status, string? deletionTimestamp = null) => Obj($$$"""
        {"apiVersion":"v1","kind":"Pod",
         "metadata":{"name":"p","creationTimestamp":"2026-11-19T10:00:00Z"{{{(deletionTimestamp is null ? "" : $",\"deletionTimestamp\":\"{deletionTimestamp}\"")}}}},
         "spec":{"nodeName":"node-1","containers":[{"name":"main"},{"name":"side"}]},
         "status":{{{status}}}}
        """);

    private static JsonArray PodCells(JsonObject pod)
    {
        var table = TableConverter.ToTable(TableConverter.ColumnsForBuiltIn("Pod"), [pod], "1", null, "None", Now);
        return (JsonArray)table["rows"]![0]!["cells"]!;
    }

    [Fact]
    public void Pod_in_crash_loop_shows_the_waiting_reason_and_restarts()
    {
        var pod = Pod("""
            {"phase":"Running","podIP":"10.0.0.7",
             "containerStatuses":[
               {"name":"main","ready":false,"restartCount":4,"state":{"waiting":{"reason":"CrashLoopBackOff"}},
                "lastState":{"terminated":{"exitCode":1,"finishedAt":"2026-11-21T11:58:00Z"}}},
               {"name":"side","ready":true,"restartCount":0,"state":{"running":{"startedAt":"2026-11-19T10:00:05Z"}}}]}
            """);

        Equal("""["p","1/2","CrashLoopBackOff","4 (2m ago)","2d2h","10.0.0.7","node-1","<none>","<none>"]""", PodCells(pod));
    }

    [Fact]
    public void Pod_being_deleted_shows_terminating()
    {
        var pod = Pod("""
            {"phase":"Running","containerStatuses":[
               {"name":"main","ready":true,"restartCount":0,"state":{"running":{}}},
               {"name":"side","ready":true,"restartCount":0,"state":{"running":{}}}]}
            """, deletionTimestamp: "2026-11-21T11:59:30Z");

        var cells = PodCells(pod);

        Assert.Equal("2/2", (string?)cells[1]);
        Assert.Equal("Terminating", (string?)cells[2]);
        Assert.Equal("0", (string?)cells[3]);
        Assert.Equal("<none>", (string?)cells[5]);
    }

    [Theory]
    [InlineData("""{"phase":"Pending"}""", "Pending")]
    [InlineData("""{"phase":"Pending","initContainerStatuses":[{"name":"i","state":{"waiting":{"reason":"PodInitializing"}}}]}""", "Init:0/1")]
    [InlineData("""{"phase":"Pending","initContainerStatuses":[{"name":"i","state":{"terminated":{"exitCode":3}}}]}""", "Init:ExitCode:3")]
    [InlineData("""{"phase":"Failed","reason":"Evicted"}""", "Evicted")]
    [InlineData("""{"phase":"Running","containerStatuses":[{"name":"main","state":{"terminated":{"exitCode":0,"reason":"Completed"}}},{"name":"side","ready":true,"state":{"running":{}}}],"conditions":[{"type":"Ready","status":"False"}]}""", "NotReady")]
    [InlineData("""{"phase":"Running","containerStatuses":[{"name":"main","state":{"terminated":{"exitCode":137,"signal":9}}}]}""", "Signal:9")]
    public void Pod_status_column_follows_the_kubectl_printer(string status, string expected)
    {
        var pod = Pod(status);
        pod["spec"]!["initContainers"] = new JsonArray(new JsonObject { ["name"] = "i" });

        Assert.Equal(expected, (string?)PodCells(pod)[2]);
    }

    [Fact]
    public void Pod_wide_columns_have_priority_one()
    {
        var columns = TableConverter.ColumnsForBuiltIn("Pod");

        Assert.Equal(["Name", "Ready", "Status", "Restarts", "Age"], columns.Where(c => c.Priority == 0).Select(c => c.Name));
        Assert.Contains(columns, c => c.Name == "IP" && c.Priority == 1);
        Assert.Contains(columns, c => c.Name == "Node" && c.Priority == 1);
    }

    [Fact]
    public void Secret_configmap_namespace_lease_and_pdb_rows()
    {
        var secret = Obj("""{"kind":"Secret","metadata":{"name":"s","creationTimestamp":"2026-11-21T11:59:15Z"},"type":"Opaque","data":{"a":"eA==","b":"eQ=="}}""");
        var configMap = Obj("""{"kind":"ConfigMap","metadata":{"name":"c","creationTimestamp":"2026-11-21T09:00:00Z"},"data":{"a":"x"},"binaryData":{"b":"eQ=="}}""");
        var ns = Obj("""{"kind":"Namespace","metadata":{"name":"n","creationTimestamp":"2025-11-21T12:00:00Z"},"status":{"phase":"Active"}}""");
        var lease = Obj("""{"kind":"Lease","metadata":{"name":"l","creationTimestamp":"2026-11-21T11:00:00Z"},"spec":{"holderIdentity":"pod-1"}}""");
        var pdb = Obj("""{"kind":"PodDisruptionBudget","metadata":{"name":"d","creationTimestamp":"2026-11-21T11:00:00Z"},"spec":{"maxUnavailable":1},"status":{"disruptionsAllowed":1}}""");

        Equal("""["s","Opaque",2,"45s"]""", Row("Secret", secret));
        Equal("""["c",2,"3h"]""", Row("ConfigMap", configMap));
        Equal("""["n","Active","365d"]""", Row("Namespace", ns));
        Equal("""["l","pod-1","60m"]""", Row("Lease", lease));
        Equal("""["d","N/A","1",1,"60m"]""", Row("PodDisruptionBudget", pdb));
    }

    [Fact]
    public void Crd_and_unknown_kinds_use_created_at_and_age()
    {
        var crd = Obj("""{"kind":"CustomResourceDefinition","metadata":{"name":"agentconnectors.connectoroperator.dev","creationTimestamp":"2026-11-20T08:30:00Z"}}""");
        var deployment = Obj("""{"kind":"Deployment","metadata":{"name":"d","creationTimestamp":"2026-11-21T11:50:00Z"}}""");

        Equal("""["agentconnectors.connectoroperator.dev","2026-11-20T08:30:00Z"]""", Row("CustomResourceDefinition", crd));
        Equal("""["d","10m"]""", Row("Deployment", deployment));
    }

    [Fact]
    public void Events_of_both_api_groups_print_object_and_ages()
    {
        var core = Obj("""
            {"kind":"Event","metadata":{"name":"e1"},"type":"Warning","reason":"BackOff","message":"restarting",
             "involvedObject":{"kind":"Pod","name":"p"},"firstTimestamp":"2026-11-21T11:00:00Z","lastTimestamp":"2026-11-21T11:58:00Z","count":3}
            """);
        var events = Obj("""
            {"kind":"Event","metadata":{"name":"e2"},"type":"Normal","reason":"Deployed","note":"pod created",
             "regarding":{"kind":"AgentConnector","name":"a"},"eventTime":"2026-11-21T11:59:00.000000Z","reportingController":"connector-operator"}
            """);

        Equal("""["2m","Warning","BackOff","pod/p",null,"","restarting","60m","3","e1"]""", Row("Event", core));
        Equal("""["60s","Normal","Deployed","agentconnector/a",null,"connector-operator","pod created","60s","1","e2"]""", Row("Event", events));
    }

    private static JsonNode? Row(string kind, JsonObject obj) =>
        TableConverter.ToTable(TableConverter.ColumnsForBuiltIn(kind), [obj], "1", null, "None", Now)["rows"]![0]!["cells"];
}
