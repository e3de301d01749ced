using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster;

namespace ConnectorOperator.Chaos;

/// <summary>The AgentConnectors and pods of one namespace, read in-process so the injected faults do not blind the checks.</summary>
internal sealed record ClusterView(ApiServerDouble Server, string Namespace)
{
    public IReadOnlyList<JsonObject> Connectors() => Server.ListObjects(ChaosObjects.ApiVersion, ChaosObjects.Kind, Namespace);

    public IReadOnlyList<JsonObject> Pods() => Server.ListObjects("v1", "Pod", Namespace);
}
