using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Primitives;
using ConnectorOperator.LocalCluster.Writes;

namespace ConnectorOperator.LocalCluster.Kubelet;

/// <summary>The node object and the pod bookkeeping every kubelet here does against the double: register, bind, finish deletion.</summary>
internal sealed class KubeletNode(ApiServerDouble server, string nodeName)
{
    public void Register()
    {
        if (server.GetObject("v1", "Node", null, nodeName) is not null) return;
        server.CreateObject(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = nodeName, ["labels"] = new JsonObject { ["kubernetes.io/hostname"] = nodeName } },
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["reason"] = "KubeletReady", ["message"] = "kubelet is posting ready status" }),
                ["addresses"] = new JsonArray(new JsonObject { ["type"] = "InternalIP", ["address"] = "127.0.0.1" }),
            },
        });
    }

    /// <summary>Schedules the pod here through pods/binding, as a scheduler does (there is one node, so the kubelet is also the scheduler).</summary>
    public void Bind(JsonObject pod)
    {
        if (pod["spec"]?["nodeName"] is not null) return;
        try
        {
            server.BindPod(PodSpecReader.Namespace(pod), PodSpecReader.Name(pod), nodeName);
        }
        catch (ApiStatusException e) when (e.Code is 404 or 409)
        {
            // Deleted before it was scheduled, or bound meanwhile.
        }
    }

    /// <summary>The kubelet's final delete once the containers are gone.</summary>
    public void Remove(string @namespace, string name)
    {
        try
        {
            server.DeleteObject("v1", "Pod", @namespace, name, new DeleteOptions { GracePeriodSeconds = 0 });
        }
        catch (ApiStatusException e) when (e.Code == 404)
        {
            // Already gone.
        }
    }
}
