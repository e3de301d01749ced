using ConnectorOperator.Api;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Reconciliation;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Tests.Reconciliation;

/// <summary>Builders for planner inputs: a connector with N agent users, pods in given states, and polls.</summary>
internal static class PlanFixtures
{
    public static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    public static readonly OperatorSettings Settings = new() { DefaultImage = "connector:test" };

    public static AgentConnector Connector(int users = 2, DeploymentEnvironment env = DeploymentEnvironment.Demo, Action<AgentConnectorSpec>? configure = null)
    {
        var connector = new AgentConnector
        {
            Metadata = new V1ObjectMeta { Name = "sales", NamespaceProperty = "bots", Uid = "uid-sales", Generation = 1, CreationTimestamp = Now.AddHours(-1).UtcDateTime },
            Spec = new AgentConnectorSpec
            {
                Bot = new BotReference { Id = "bot-1" },
                AccountId = "12345678",
                ConversationType = ConversationType.Messaging,
                Environment = env,
                AgentUsers = [.. Enumerable.Range(1, users).Select(i => new AgentUser { LoginName = $"bot{i}", CredentialsSecretRef = new SecretReference { Name = $"bot{i}-creds" } })],
            },
        };
        configure?.Invoke(connector.Spec);
        return connector;
    }

    public static Dictionary<string, CredentialsInfo> ApiKeys(AgentConnector connector) =>
        connector.Spec.AgentUsers.ToDictionary(u => u.LoginName, u => CredentialsInfo.FromKeys(u.CredentialsSecretRef.Name, CredentialsInfo.ApiKeyKeys));

    public static ObservedConnector Pod(string name, string user, string revision, bool ready = true, int conversations = 0,
        bool terminating = false, string? waitingReason = null, DateTimeOffset? created = null, ConnectorStatusReport? report = null)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = "bots",
                CreationTimestamp = (created ?? Now.AddMinutes(-10)).UtcDateTime,
                DeletionTimestamp = terminating ? Now.UtcDateTime : null,
                Annotations = new Dictionary<string, string> { [ConnectorLabels.AgentUser] = user, [ConnectorLabels.Revision] = revision },
            },
            Status = new V1PodStatus
            {
                Phase = "Running",
                Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
                ContainerStatuses =
                [
                    new V1ContainerStatus
                    {
                        Name = "connector",
                        Ready = ready,
                        RestartCount = waitingReason is null ? 0 : 3,
                        State = waitingReason is null ? new V1ContainerState { Running = new() } : new V1ContainerState { Waiting = new() { Reason = waitingReason, Message = "back-off restarting" } },
                    },
                ],
            },
        };
        report ??= new ConnectorStatusReport { State = ready ? ConnectorReportState.Online : ConnectorReportState.Starting, ActiveConversations = conversations, AgentUser = user, Revision = revision };
        return new ObservedConnector(pod, new ConnectorPoll(report, null));
    }

    public static PlanInput Input(AgentConnector connector, params ObservedConnector[] pods) => new()
    {
        Connector = connector,
        Pods = pods,
        Credentials = ApiKeys(connector),
        Revision = "rev2",
        Settings = Settings,
        Now = Now,
    };

    /// <summary>Marks the connector as reconciled before with the given desired count (as a prior pass would have).</summary>
    public static AgentConnector WithStatus(this AgentConnector connector, int desired, int nextSerial = 10, DateTimeOffset? scaleDownSince = null, string revision = "rev2")
    {
        connector.Status = new AgentConnectorStatus { ObservedGeneration = 1, DesiredReplicas = desired, NextSerial = nextSerial, ScaleDownCandidateSince = scaleDownSince, Revision = revision };
        return connector;
    }
}
