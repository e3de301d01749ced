using System.Reflection;
using Xunit.Sdk;

namespace ConnectorOperator.TestSupport.Clusters;

/// <summary>
/// One theory row per lane (<see cref="ClusterLanes"/>): <c>[Theory, OnCluster(ClusterLanes.Double), OnCluster(ClusterLanes.Named),
/// OnCluster(ClusterLanes.K3s)]</c>. A lane this machine cannot run is reported as a skipped row that says why.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class OnClusterAttribute : DataAttribute
{
    public OnClusterAttribute(string lane)
    {
        Lane = lane;
        Skip = ClusterLanes.SkipReason(lane);
    }

    public string Lane { get; }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[Lane]];
}
