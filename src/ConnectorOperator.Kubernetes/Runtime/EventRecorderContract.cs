using ConnectorOperator.Kubernetes.Models;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Kubernetes.Runtime;

/// <summary>Records Kubernetes Events about objects. Implementations never throw and never block the caller.</summary>
public interface IEventRecorder
{
    /// <param name="regarding">The object the event is about; the event goes to its namespace.</param>
    /// <param name="type"><see cref="EventTypes.Normal"/> or <see cref="EventTypes.Warning"/>.</param>
    /// <param name="reason">CamelCase, machine-readable why (at most 128 characters).</param>
    /// <param name="action">CamelCase, what was done or failed (at most 128 characters).</param>
    /// <param name="note">Human-readable detail; cut to 1 KiB.</param>
    void Record(IKubernetesObject<V1ObjectMeta> regarding, string type, string reason, string action, string note);
}

/// <summary>The two event types the API accepts.</summary>
public static class EventTypes
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";
}
