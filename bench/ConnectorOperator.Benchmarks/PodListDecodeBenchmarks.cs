using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Kubernetes.Serialization;
using k8s.Models;

namespace ConnectorOperator.Benchmarks;

/// <summary>Decoding a 5,000-pod list, as a full relist of a large namespace does.</summary>
[MemoryDiagnoser]
public class PodListDecodeBenchmarks
{
    private byte[] _json = [];

    [Params(5000)]
    public int Pods { get; set; }

    [GlobalSetup]
    public void Setup() => _json = Encoding.UTF8.GetBytes(SamplePods.ListJson(Pods));

    [Benchmark]
    public int DecodePodList()
    {
        var list = JsonSerializer.Deserialize(_json, KubernetesJson.Default.ListTypeInfo<V1Pod>())!;
        return list.Items.Count;
    }

    [Benchmark]
    public int DecodePodListMetadataOnly()
    {
        var list = JsonSerializer.Deserialize(_json, KubernetesJson.Default.ListTypeInfo<PartialObjectMetadata>())!;
        return list.Items.Count;
    }
}

internal static class SamplePods
{
    /// <summary>Pods shaped like our connector pods: labels, annotations, owner, env, probes, status.</summary>
    public static string ListJson(int count)
    {
        var sb = new StringBuilder("{\"apiVersion\":\"v1\",\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"123456\"},\"items\":[");
        for (var i = 0; i < count; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(Pod(i));
        }
        return sb.Append("]}").ToString();
    }

    public static string Pod(int i) => PodTemplate
        .Replace("@D4", i.ToString("D4", CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("@RV", (100000 + i).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("@NODE", (i % 50).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("@A", (i / 250).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("@B", (i % 250).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("@I", i.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private static readonly string PodTemplate = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"sales-@I","namespace":"bots","uid":"0b6b7a7e-@D4-4f6e-9a51-3f0c1b2c3d4e","resourceVersion":"@RV","creationTimestamp":"2026-11-21T10:00:00Z",
        "labels":{"connectoroperator.dev/agent-connector":"sales","app.kubernetes.io/name":"agent-connector","app.kubernetes.io/managed-by":"connector-operator"},
        "annotations":{"connectoroperator.dev/revision":"a1b2c3d4e5","connectoroperator.dev/agent-user":"bot@I"},
        "ownerReferences":[{"apiVersion":"connectoroperator.dev/v1alpha1","kind":"AgentConnector","name":"sales","uid":"9d1c","controller":true,"blockOwnerDeletion":true}]},
        "spec":{"containers":[{"name":"connector","image":"ghcr.io/connectoroperator/connector:0.1.0","env":[{"name":"CONNECTOR_ACCOUNT_ID","value":"12345678"},{"name":"CONNECTOR_AGENT_USER","value":"bot@I"},{"name":"LP_APP_KEY","valueFrom":{"secretKeyRef":{"name":"bot@I","key":"appKey"}}}],
        "ports":[{"name":"http","containerPort":8080,"protocol":"TCP"}],"readinessProbe":{"httpGet":{"path":"/readyz","port":"http"},"periodSeconds":5},
        "securityContext":{"runAsNonRoot":true,"allowPrivilegeEscalation":false,"readOnlyRootFilesystem":true,"capabilities":{"drop":["ALL"]}}}],"nodeName":"node-@NODE"},
        "status":{"phase":"Running","podIP":"10.0.@A.@B","startTime":"2026-11-21T10:00:05Z","conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2026-11-21T10:00:09Z"}],
        "containerStatuses":[{"name":"connector","ready":true,"started":true,"restartCount":0,"image":"ghcr.io/connectoroperator/connector:0.1.0","state":{"running":{"startedAt":"2026-11-21T10:00:06Z"}}}]}}
        """.Replace("\n", "", StringComparison.Ordinal);
}
