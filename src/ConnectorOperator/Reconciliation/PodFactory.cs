using System.Text.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.Api;
using ConnectorOperator.Contracts;
using ConnectorOperator.Kubernetes.Serialization;
using k8s.Models;

namespace ConnectorOperator.Reconciliation;

/// <summary>Builds the connector pod for one agent user: configuration as environment, credentials only as secretKeyRefs, restricted security.</summary>
public static class PodFactory
{
    public const string ContainerName = "connector";
    public const long RunAsUser = 65532;

    public static string PodName(string connectorName, int serial) => $"{connectorName}-{serial}";

    public static V1Pod Build(AgentConnector connector, AgentUser user, CredentialsInfo credentials, int serial, string revision, OperatorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(settings);
        var spec = connector.Spec;
        var name = connector.Metadata.Name!;
        var template = spec.PodTemplate;

        var labels = new Dictionary<string, string>(template?.Labels ?? [])
        {
            [ConnectorLabels.Connector] = name,
            [ConnectorLabels.Name] = ConnectorLabels.NameValue,
            [ConnectorLabels.ManagedBy] = ConnectorLabels.ManagedByValue,
            [ConnectorLabels.Component] = "connector",
            [ConnectorLabels.AgentUserHash] = ConnectorRevision.AgentUserHash(user.LoginName),
        };
        var annotations = new Dictionary<string, string>(template?.Annotations ?? [])
        {
            [ConnectorLabels.Revision] = revision,
            [ConnectorLabels.AgentUser] = user.LoginName,
        };

        IntOrString probePort = "http";
        var container = new V1Container
        {
            Name = ContainerName,
            Image = ConnectorRevision.Image(spec, settings),
            ImagePullPolicy = "IfNotPresent",
            Env = Environment(connector, user, credentials, revision, settings),
            Ports = [new V1ContainerPort { Name = "http", ContainerPort = settings.ConnectorPort, Protocol = "TCP" }],
            Resources = Resources(template?.Resources) ?? new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("50m"), ["memory"] = new("96Mi") },
                Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("256Mi") },
            },
            SecurityContext = new V1SecurityContext
            {
                RunAsNonRoot = true,
                RunAsUser = RunAsUser,
                AllowPrivilegeEscalation = false,
                ReadOnlyRootFilesystem = true,
                Privileged = false,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            },
            // Login and the first socket can take a while against the real service; give startup room.
            StartupProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = ConnectorEndpoints.Healthz, Port = probePort }, PeriodSeconds = 2, FailureThreshold = 60, TimeoutSeconds = 2 },
            LivenessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = ConnectorEndpoints.Healthz, Port = probePort }, PeriodSeconds = 10, FailureThreshold = 3, TimeoutSeconds = 2 },
            ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = ConnectorEndpoints.Readyz, Port = probePort }, PeriodSeconds = 5, FailureThreshold = 2, TimeoutSeconds = 2 },
            // The kubelet calls this before SIGTERM: stop taking rings and hand conversations back.
            Lifecycle = new V1Lifecycle { PreStop = new V1LifecycleHandler { HttpGet = new V1HTTPGetAction { Path = ConnectorEndpoints.Drain, Port = probePort } } },
            VolumeMounts = [new V1VolumeMount { Name = "tmp", MountPath = "/tmp" }],
            TerminationMessagePolicy = "FallbackToLogsOnError",
        };

        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = PodName(name, serial),
                NamespaceProperty = connector.Metadata.NamespaceProperty,
                Labels = labels,
                Annotations = annotations,
                OwnerReferences = [connector.ControllerReference()],
            },
            Spec = new V1PodSpec
            {
                Containers = [container],
                RestartPolicy = "Always",
                TerminationGracePeriodSeconds = settings.DrainSeconds + 10,
                AutomountServiceAccountToken = false,
                EnableServiceLinks = false,
                SecurityContext = new V1PodSecurityContext
                {
                    RunAsNonRoot = true,
                    RunAsUser = RunAsUser,
                    RunAsGroup = RunAsUser,
                    SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                },
                Volumes = [new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("64Mi") } }],
                NodeSelector = template?.NodeSelector,
                Tolerations = template?.Tolerations?.Select(Toleration).ToList(),
                Affinity = template?.Affinity is { } affinity ? affinity.Deserialize(KubernetesJson.Default.TypeInfo<V1Affinity>()) : null,
                PriorityClassName = template?.PriorityClassName,
                TopologySpreadConstraints = template?.TopologySpreadConstraints?.Select(c => c.Deserialize(KubernetesJson.Default.TypeInfo<V1TopologySpreadConstraint>())!).ToList()
                    ?? [SpreadAcrossNodes(name)],
            },
        };
    }

    private static List<V1EnvVar> Environment(AgentConnector connector, AgentUser user, CredentialsInfo credentials, string revision, OperatorSettings settings)
    {
        var spec = connector.Spec;
        var env = new List<V1EnvVar>
        {
            Plain(ConnectorEnvironment.AccountId, spec.AccountId),
            Plain(ConnectorEnvironment.AgentUser, user.LoginName),
            Plain(ConnectorEnvironment.Role, spec.Role.ToString()),
            Plain(ConnectorEnvironment.ConversationType, spec.ConversationType?.ToString() ?? ""),
            Plain(ConnectorEnvironment.Environment, spec.Environment.ToString()),
            Plain(ConnectorEnvironment.BotId, spec.Bot.Id),
            Plain(ConnectorEnvironment.BotEndpoint, ConnectorRevision.BotEndpoint(spec, settings)),
            Plain(ConnectorEnvironment.Accessibility, spec.Accessibility ? "true" : "false"),
            Plain(ConnectorEnvironment.Capacity, ReplicaCalculator.PerConnector(spec).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Plain(ConnectorEnvironment.Revision, revision),
            Plain(ConnectorEnvironment.HttpPort, settings.ConnectorPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Plain(ConnectorEnvironment.DrainSeconds, settings.DrainSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Plain(ConnectorEnvironment.CustomConfiguration, CustomConfigurationJson(spec.CustomConfiguration)),
            new() { Name = "POD_NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
        };
        if (!string.IsNullOrEmpty(spec.FallbackSkillId)) env.Add(Plain(ConnectorEnvironment.FallbackSkillId, spec.FallbackSkillId));
        if (!string.IsNullOrEmpty(settings.CsdsDomain)) env.Add(Plain(ConnectorEnvironment.CsdsDomain, settings.CsdsDomain));
        if (spec.ExternalWebhook is { } webhook)
        {
            env.Add(Plain(ConnectorEnvironment.ExternalWebhookUrl, webhook.Url));
            if (webhook.ApiKeySecretRef is { } key)
                env.Add(FromSecret(ConnectorEnvironment.ExternalWebhookApiKey, key.Name, key.Key ?? AgentCredentialKeys.DefaultWebhookApiKey));
            if (webhook.ApigeeClientSecretRef is { } apigee)
                env.Add(FromSecret(ConnectorEnvironment.ApigeeClientSecret, apigee.Name, apigee.Key ?? AgentCredentialKeys.DefaultApigeeClientSecret));
        }
        var secret = user.CredentialsSecretRef.Name;
        if (credentials.Kind == CredentialKind.Password)
        {
            env.Add(FromSecret(ConnectorEnvironment.Password, secret, AgentCredentialKeys.Password));
        }
        else
        {
            env.Add(FromSecret(ConnectorEnvironment.AppKey, secret, AgentCredentialKeys.AppKey));
            env.Add(FromSecret(ConnectorEnvironment.AppSecret, secret, AgentCredentialKeys.AppSecret));
            env.Add(FromSecret(ConnectorEnvironment.AccessToken, secret, AgentCredentialKeys.AccessToken));
            env.Add(FromSecret(ConnectorEnvironment.AccessTokenSecret, secret, AgentCredentialKeys.AccessTokenSecret));
        }
        return env;
    }

    private static string CustomConfigurationJson(Dictionary<string, string>? custom)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in (custom ?? []).OrderBy(p => p.Key, StringComparer.Ordinal)) obj[key] = value;
        return obj.ToJsonString();
    }

    private static V1TopologySpreadConstraint SpreadAcrossNodes(string connectorName) => new()
    {
        MaxSkew = 1,
        TopologyKey = "kubernetes.io/hostname",
        WhenUnsatisfiable = "ScheduleAnyway",
        LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [ConnectorLabels.Connector] = connectorName } },
    };

    /// <summary>The template's quantities, written as strings, become the library's quantities only here (never in the hash).</summary>
    private static V1ResourceRequirements? Resources(ConnectorResources? resources) => resources is null ? null : new()
    {
        Limits = resources.Limits?.ToDictionary(p => p.Key, p => new ResourceQuantity(p.Value)),
        Requests = resources.Requests?.ToDictionary(p => p.Key, p => new ResourceQuantity(p.Value)),
    };

    private static V1Toleration Toleration(ConnectorToleration t) => new()
    {
        Key = t.Key,
        OperatorProperty = t.Operator,
        Value = t.Value,
        Effect = t.Effect,
        TolerationSeconds = t.TolerationSeconds,
    };

    private static V1EnvVar Plain(string name, string value) => new() { Name = name, Value = value };

    private static V1EnvVar FromSecret(string name, string secret, string key) =>
        new() { Name = name, ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secret, Key = key } } };
}
