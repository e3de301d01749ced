using ConnectorOperator.Controllers;
using ConnectorOperator.Reconciliation;
using k8s.Models;
using static ConnectorOperator.Tests.Reconciliation.PlanFixtures;

namespace ConnectorOperator.Tests.Controllers;

public class ConnectorPodCacheTests
{
    [Fact]
    public void A_cached_connector_pod_keeps_what_the_operator_reads_and_drops_the_rest()
    {
        var connector = Connector(users: 1);
        var pod = PodFactory.Build(connector, connector.Spec.AgentUsers[0], ApiKeys(connector)["bot1"], 3, "abc", Settings);
        pod.Metadata.ManagedFields = [new V1ManagedFieldsEntry { Manager = "connector-operator", Operation = "Apply" }];
        pod.Spec.NodeName = "node-1";
        pod.Status = new V1PodStatus { Phase = "Running", PodIP = "10.0.0.7", Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }] };

        var lean = ConnectorPodCache.Lean(pod);

        Assert.Equal(("v1", "Pod"), (lean.ApiVersion, lean.Kind));
        Assert.Null(lean.Metadata.ManagedFields);
        Assert.Equal("abc", lean.Metadata.Annotations[ConnectorLabels.Revision]);
        Assert.Equal("uid-sales", Assert.Single(lean.Metadata.OwnerReferences).Uid);
        var container = Assert.Single(lean.Spec.Containers);
        Assert.Equal(PodFactory.ContainerName, container.Name);
        Assert.Equal("http", Assert.Single(container.Ports).Name);
        Assert.Null(container.Env);
        Assert.Null(container.ReadinessProbe);
        Assert.Null(container.SecurityContext);
        Assert.Null(lean.Spec.Volumes);
        Assert.Equal("node-1", lean.Spec.NodeName);
        Assert.Same(pod.Status, lean.Status);
        Assert.True(new ObservedConnector(lean, null).Ready);
    }
}
