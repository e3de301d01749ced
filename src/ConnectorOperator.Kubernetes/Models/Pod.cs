using System.Text.Json;

namespace ConnectorOperator.Kubernetes.Models;

public sealed class Pod : IKubernetesObject
{
    public string? ApiVersion { get; set; } = "v1";
    public string? Kind { get; set; } = "Pod";
    public ObjectMeta Metadata { get; set; } = new();
    public PodSpec Spec { get; set; } = new();
    public PodStatus? Status { get; set; }
}

public sealed class PodSpec
{
    public List<Container> Containers { get; set; } = [];
    public List<Container>? InitContainers { get; set; }
    public List<Volume>? Volumes { get; set; }
    public string? RestartPolicy { get; set; }
    public long? TerminationGracePeriodSeconds { get; set; }
    public string? ServiceAccountName { get; set; }
    public bool? AutomountServiceAccountToken { get; set; }
    public string? NodeName { get; set; }
    public Dictionary<string, string>? NodeSelector { get; set; }
    public List<Toleration>? Tolerations { get; set; }
    /// <summary>Passed through as given: the operator never interprets affinity terms.</summary>
    public JsonElement? Affinity { get; set; }
    public List<JsonElement>? TopologySpreadConstraints { get; set; }
    public string? PriorityClassName { get; set; }
    public PodSecurityContext? SecurityContext { get; set; }
    public string? Hostname { get; set; }
    public bool? EnableServiceLinks { get; set; }
}

public sealed class Container
{
    public string Name { get; set; } = "";
    public string? Image { get; set; }
    public string? ImagePullPolicy { get; set; }
    public List<string>? Command { get; set; }
    public List<string>? Args { get; set; }
    public List<EnvVar>? Env { get; set; }
    public List<ContainerPort>? Ports { get; set; }
    public ResourceRequirements? Resources { get; set; }
    public SecurityContext? SecurityContext { get; set; }
    public Probe? StartupProbe { get; set; }
    public Probe? LivenessProbe { get; set; }
    public Probe? ReadinessProbe { get; set; }
    public Lifecycle? Lifecycle { get; set; }
    public List<VolumeMount>? VolumeMounts { get; set; }
    public string? TerminationMessagePolicy { get; set; }
}

public sealed class EnvVar
{
    public string Name { get; set; } = "";
    public string? Value { get; set; }
    public EnvVarSource? ValueFrom { get; set; }
}

public sealed class EnvVarSource
{
    public KeySelector? SecretKeyRef { get; set; }
    public KeySelector? ConfigMapKeyRef { get; set; }
    public ObjectFieldSelector? FieldRef { get; set; }
}

/// <summary>secretKeyRef / configMapKeyRef.</summary>
public sealed class KeySelector
{
    public string Name { get; set; } = "";
    public string Key { get; set; } = "";
    public bool? Optional { get; set; }
}

public sealed class ObjectFieldSelector
{
    public string? ApiVersion { get; set; }
    public string FieldPath { get; set; } = "";
}

public sealed class ContainerPort
{
    public string? Name { get; set; }
    [System.Text.Json.Serialization.JsonPropertyName("containerPort")]
    public int Port { get; set; }
    public string? Protocol { get; set; }
}

public sealed class ResourceRequirements
{
    /// <summary>Quantities stay strings ("100m", "128Mi") exactly as written.</summary>
    public Dictionary<string, string>? Limits { get; set; }
    public Dictionary<string, string>? Requests { get; set; }
}

public sealed class SecurityContext
{
    public bool? RunAsNonRoot { get; set; }
    public long? RunAsUser { get; set; }
    public long? RunAsGroup { get; set; }
    public bool? AllowPrivilegeEscalation { get; set; }
    public bool? ReadOnlyRootFilesystem { get; set; }
    public bool? Privileged { get; set; }
    public Capabilities? Capabilities { get; set; }
    public SeccompProfile? SeccompProfile { get; set; }
}

public sealed class PodSecurityContext
{
    public bool? RunAsNonRoot { get; set; }
    public long? RunAsUser { get; set; }
    public long? RunAsGroup { get; set; }
    public long? FsGroup { get; set; }
    public SeccompProfile? SeccompProfile { get; set; }
}

public sealed class Capabilities
{
    public List<string>? Add { get; set; }
    public List<string>? Drop { get; set; }
}

public sealed class SeccompProfile
{
    public string Type { get; set; } = "RuntimeDefault";
    public string? LocalhostProfile { get; set; }
}

public sealed class Probe
{
    public HttpGetAction? HttpGet { get; set; }
    public int? InitialDelaySeconds { get; set; }
    public int? PeriodSeconds { get; set; }
    public int? TimeoutSeconds { get; set; }
    public int? SuccessThreshold { get; set; }
    public int? FailureThreshold { get; set; }
}

public sealed class HttpGetAction
{
    public string? Path { get; set; }
    public IntOrString Port { get; set; }
    public string? Host { get; set; }
    public string? Scheme { get; set; }
}

public sealed class Lifecycle
{
    public LifecycleHandler? PreStop { get; set; }
    public LifecycleHandler? PostStart { get; set; }
}

public sealed class LifecycleHandler
{
    public HttpGetAction? HttpGet { get; set; }
    public ExecAction? Exec { get; set; }
}

public sealed class ExecAction
{
    public List<string>? Command { get; set; }
}

public sealed class Toleration
{
    public string? Key { get; set; }
    public string? Operator { get; set; }
    public string? Value { get; set; }
    public string? Effect { get; set; }
    public long? TolerationSeconds { get; set; }
}

public sealed class Volume
{
    public string Name { get; set; } = "";
    public EmptyDirVolumeSource? EmptyDir { get; set; }
}

public sealed class EmptyDirVolumeSource
{
    public string? Medium { get; set; }
    public string? SizeLimit { get; set; }
}

public sealed class VolumeMount
{
    public string Name { get; set; } = "";
    public string MountPath { get; set; } = "";
    public bool? ReadOnly { get; set; }
}

public sealed class PodStatus
{
    public string? Phase { get; set; }
    public List<PodCondition>? Conditions { get; set; }
    public string? Message { get; set; }
    public string? Reason { get; set; }
    public string? HostIP { get; set; }
    public string? PodIP { get; set; }
    public DateTimeOffset? StartTime { get; set; }
    public List<ContainerStatus>? ContainerStatuses { get; set; }
}

public sealed class PodCondition
{
    public string Type { get; set; } = "";
    public string Status { get; set; } = "";
    public DateTimeOffset? LastProbeTime { get; set; }
    public DateTimeOffset? LastTransitionTime { get; set; }
    public string? Reason { get; set; }
    public string? Message { get; set; }
}

public sealed class ContainerStatus
{
    public string Name { get; set; } = "";
    public bool Ready { get; set; }
    public bool? Started { get; set; }
    public int RestartCount { get; set; }
    public string? Image { get; set; }
    public string? ImageID { get; set; }
    public string? ContainerID { get; set; }
    public ContainerState? State { get; set; }
    public ContainerState? LastState { get; set; }
}

public sealed class ContainerState
{
    public ContainerStateWaiting? Waiting { get; set; }
    public ContainerStateRunning? Running { get; set; }
    public ContainerStateTerminated? Terminated { get; set; }
}

public sealed class ContainerStateWaiting
{
    public string? Reason { get; set; }
    public string? Message { get; set; }
}

public sealed class ContainerStateRunning
{
    public DateTimeOffset? StartedAt { get; set; }
}

public sealed class ContainerStateTerminated
{
    public int ExitCode { get; set; }
    public int? Signal { get; set; }
    public string? Reason { get; set; }
    public string? Message { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}
