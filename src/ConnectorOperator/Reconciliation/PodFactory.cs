using System.Text.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.Api;
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
            Image = string.IsNullOrEmpty(spec.Image) ? settings.DefaultImage : spec.Image,
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
            StartupProbe = new Probe { HttpGet = new HttpGetAction { Path = "/healthz", Port = probePort }, PeriodSeconds = 2, FailureThreshold = 60, TimeoutSeconds = 2 },
            LivenessProbe = new Probe { HttpGet = new HttpGetAction { Path = "/healthz", Port = probePort }, PeriodSeconds = 10, FailureThreshold = 3, TimeoutSeconds = 2 },
            ReadinessProbe = new Probe { HttpGet = new HttpGetAction { Path = "/readyz", Port = probePort }, PeriodSeconds = 5, FailureThreshold = 2, TimeoutSeconds = 2 },
            // The kubelet calls this before SIGTERM: stop taking rings and hand conversations back.
            Lifecycle = new Lifecycle { PreStop = new LifecycleHandler { HttpGet = new HttpGetAction { Path = "/drain", Port = probePort } } },
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
                OwnerReferences =
                [
                    new OwnerReference
                    {
                        ApiVersion = connector.ApiVersion ?? $"{AgentConnector.Group}/{AgentConnector.Version}",
                        Kind = AgentConnector.KindName,
                        Name = name,
                        Uid = connector.Metadata.Uid ?? "",
                        Controller = true,
                        BlockOwnerDeletion = true,
                    },
                ],
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
            Plain(ConnectorEnv.AccountId, spec.AccountId),
            Plain(ConnectorEnv.AgentUser, user.LoginName),
            Plain(ConnectorEnv.Role, spec.Role.ToString()),
            Plain(ConnectorEnv.ConversationType, spec.ConversationType?.ToString() ?? ""),
            Plain(ConnectorEnv.Environment, spec.Environment.ToString()),
            Plain(ConnectorEnv.BotId, spec.Bot.Id),
            Plain(ConnectorEnv.BotEndpoint, ConnectorRevision.BotEndpoint(spec, settings)),
            Plain(ConnectorEnv.Accessibility, spec.Accessibility ? "true" : "false"),
            Plain(ConnectorEnv.Capacity, Math.Clamp(spec.Scaling?.ConversationsPerConnector ?? 50, 1, 50).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Plain(ConnectorEnv.Revision, revision),
            Plain(ConnectorEnv.HttpPort, settings.ConnectorPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Plain(ConnectorEnv.DrainSeconds, settings.DrainSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Plain(ConnectorEnv.CustomConfiguration, CustomConfigurationJson(spec.CustomConfiguration)),
            new() { Name = "POD_NAME", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "metadata.name" } } },
        };
        if (!string.IsNullOrEmpty(spec.FallbackSkillId)) env.Add(Plain(ConnectorEnv.FallbackSkillId, spec.FallbackSkillId));
        if (!string.IsNullOrEmpty(settings.CsdsDomain)) env.Add(Plain(ConnectorEnv.CsdsDomain, settings.CsdsDomain));
        if (spec.ExternalWebhook is { } webhook)
        {
            env.Add(Plain(ConnectorEnv.ExternalWebhookUrl, webhook.Url));
            if (webhook.ApiKeySecretRef is { } key)
                env.Add(FromSecret(ConnectorEnv.ExternalWebhookApiKey, key.Name, key.Key ?? "apiKey"));
        }
        var secret = user.CredentialsSecretRef.Name;
        if (credentials.Kind == CredentialKind.Password)
        {
            env.Add(FromSecret(ConnectorEnv.Password, secret, CredentialsInfo.PasswordKey));
        }
        else
        {
            env.Add(FromSecret(ConnectorEnv.AppKey, secret, "appKey"));
            env.Add(FromSecret(ConnectorEnv.AppSecret, secret, "appSecret"));
            env.Add(FromSecret(ConnectorEnv.AccessToken, secret, "accessToken"));
            env.Add(FromSecret(ConnectorEnv.AccessTokenSecret, secret, "accessTokenSecret"));
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

/// <summary>Environment variable names from docs/connector-contract.md.</summary>
public static class ConnectorEnv
{
    public const string AccountId = "CONNECTOR_ACCOUNT_ID";
    public const string AgentUser = "CONNECTOR_AGENT_USER";
    public const string Role = "CONNECTOR_ROLE";
    public const string ConversationType = "CONNECTOR_CONVERSATION_TYPE";
    public const string Environment = "CONNECTOR_ENVIRONMENT";
    public const string BotId = "CONNECTOR_BOT_ID";
    public const string BotEndpoint = "CONNECTOR_BOT_ENDPOINT";
    public const string FallbackSkillId = "CONNECTOR_FALLBACK_SKILL_ID";
    public const string Accessibility = "CONNECTOR_ACCESSIBILITY";
    public const string ExternalWebhookUrl = "CONNECTOR_EXTERNAL_WEBHOOK_URL";
    public const string ExternalWebhookApiKey = "CONNECTOR_EXTERNAL_WEBHOOK_API_KEY";
    public const string CsdsDomain = "CONNECTOR_CSDS_DOMAIN";
    public const string CustomConfiguration = "CONNECTOR_CUSTOM_CONFIGURATION";
    public const string Capacity = "CONNECTOR_CAPACITY";
    public const string Revision = "CONNECTOR_REVISION";
    public const string HttpPort = "CONNECTOR_HTTP_PORT";
    public const string DrainSeconds = "CONNECTOR_DRAIN_SECONDS";
    public const string AppKey = "LP_APP_KEY";
    public const string AppSecret = "LP_APP_SECRET";
    public const string AccessToken = "LP_ACCESS_TOKEN";
    public const string AccessTokenSecret = "LP_ACCESS_TOKEN_SECRET";
    public const string Password = "LP_PASSWORD";
}
