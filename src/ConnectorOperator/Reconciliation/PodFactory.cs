using System.Text.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.Api;
using ConnectorOperator.Contracts;
using ConnectorOperator.Kubernetes.Models;

namespace ConnectorOperator.Reconciliation;

/// <summary>Builds the connector pod for one agent user: configuration as environment, credentials only as secretKeyRefs, restricted security.</summary>
public static class PodFactory
{
    public const string ContainerName = "connector";
    public const long RunAsUser = 65532;

    public static string PodName(string connectorName, int serial) => $"{connectorName}-{serial}";

    public static Pod Build(AgentConnector connector, AgentUser user, CredentialsInfo credentials, int serial, string revision, OperatorSettings settings)
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

        var probePort = new IntOrString("http");
        var container = new Container
        {
            Name = ContainerName,
            Image = ConnectorRevision.Image(spec, settings),
            ImagePullPolicy = "IfNotPresent",
            Env = Environment(connector, user, credentials, revision, settings),
            Ports = [new ContainerPort { Name = "http", Port = settings.ConnectorPort, Protocol = "TCP" }],
            Resources = template?.Resources ?? new ResourceRequirements
            {
                Requests = new() { ["cpu"] = "50m", ["memory"] = "96Mi" },
                Limits = new() { ["memory"] = "256Mi" },
            },
            SecurityContext = new SecurityContext
            {
                RunAsNonRoot = true,
                RunAsUser = RunAsUser,
                AllowPrivilegeEscalation = false,
                ReadOnlyRootFilesystem = true,
                Privileged = false,
                Capabilities = new Capabilities { Drop = ["ALL"] },
                SeccompProfile = new SeccompProfile { Type = "RuntimeDefault" },
            },
            // Login and the first socket can take a while against the real service; give startup room.
            StartupProbe = new Probe { HttpGet = new HttpGetAction { Path = ConnectorEndpoints.Healthz, Port = probePort }, PeriodSeconds = 2, FailureThreshold = 60, TimeoutSeconds = 2 },
            LivenessProbe = new Probe { HttpGet = new HttpGetAction { Path = ConnectorEndpoints.Healthz, Port = probePort }, PeriodSeconds = 10, FailureThreshold = 3, TimeoutSeconds = 2 },
            ReadinessProbe = new Probe { HttpGet = new HttpGetAction { Path = ConnectorEndpoints.Readyz, Port = probePort }, PeriodSeconds = 5, FailureThreshold = 2, TimeoutSeconds = 2 },
            // The kubelet calls this before SIGTERM: stop taking rings and hand conversations back.
            Lifecycle = new Lifecycle { PreStop = new LifecycleHandler { HttpGet = new HttpGetAction { Path = ConnectorEndpoints.Drain, Port = probePort } } },
            VolumeMounts = [new VolumeMount { Name = "tmp", MountPath = "/tmp" }],
            TerminationMessagePolicy = "FallbackToLogsOnError",
        };

        return new Pod
        {
            Metadata = new ObjectMeta
            {
                Name = PodName(name, serial),
                Namespace = connector.Metadata.Namespace,
                Labels = labels,
                Annotations = annotations,
                OwnerReferences = [connector.ControllerReference()],
            },
            Spec = new PodSpec
            {
                Containers = [container],
                RestartPolicy = "Always",
                TerminationGracePeriodSeconds = settings.DrainSeconds + 10,
                AutomountServiceAccountToken = false,
                EnableServiceLinks = false,
                SecurityContext = new PodSecurityContext
                {
                    RunAsNonRoot = true,
                    RunAsUser = RunAsUser,
                    RunAsGroup = RunAsUser,
                    SeccompProfile = new SeccompProfile { Type = "RuntimeDefault" },
                },
                Volumes = [new Volume { Name = "tmp", EmptyDir = new EmptyDirVolumeSource { SizeLimit = "64Mi" } }],
                NodeSelector = template?.NodeSelector,
                Tolerations = template?.Tolerations,
                Affinity = template?.Affinity,
                PriorityClassName = template?.PriorityClassName,
                TopologySpreadConstraints = template?.TopologySpreadConstraints ?? [SpreadAcrossNodes(name)],
            },
        };
    }

    private static List<EnvVar> Environment(AgentConnector connector, AgentUser user, CredentialsInfo credentials, string revision, OperatorSettings settings)
    {
        var spec = connector.Spec;
        var env = new List<EnvVar>
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
            new() { Name = "POD_NAME", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "metadata.name" } } },
        };
        if (!string.IsNullOrEmpty(spec.FallbackSkillId)) env.Add(Plain(ConnectorEnvironment.FallbackSkillId, spec.FallbackSkillId));
        if (!string.IsNullOrEmpty(settings.CsdsDomain)) env.Add(Plain(ConnectorEnvironment.CsdsDomain, settings.CsdsDomain));
        if (spec.ExternalWebhook is { } webhook)
        {
            env.Add(Plain(ConnectorEnvironment.ExternalWebhookUrl, webhook.Url));
            if (webhook.ApiKeySecretRef is { } key)
                env.Add(FromSecret(ConnectorEnvironment.ExternalWebhookApiKey, key.Name, key.Key ?? AgentCredentialKeys.DefaultWebhookApiKey));
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

    private static JsonElement SpreadAcrossNodes(string connectorName)
    {
        var constraint = new JsonObject
        {
            ["maxSkew"] = 1,
            ["topologyKey"] = "kubernetes.io/hostname",
            ["whenUnsatisfiable"] = "ScheduleAnyway",
            ["labelSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { [ConnectorLabels.Connector] = connectorName } },
        };
        using var doc = JsonDocument.Parse(constraint.ToJsonString());
        return doc.RootElement.Clone();
    }

    private static EnvVar Plain(string name, string value) => new() { Name = name, Value = value };

    private static EnvVar FromSecret(string name, string secret, string key) =>
        new() { Name = name, ValueFrom = new EnvVarSource { SecretKeyRef = new KeySelector { Name = secret, Key = key } } };
}
