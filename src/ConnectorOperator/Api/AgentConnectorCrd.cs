using ConnectorOperator.Api.Schema;
using ConnectorOperator.Kubernetes.Models;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Api;

/// <summary>The AgentConnector CustomResourceDefinition: names, columns and subresources; the schema comes from the C# types.</summary>
public static class AgentConnectorCrd
{
    public static CrdDefinition Definition { get; } = new()
    {
        Resource = AgentConnector.Resource,
        Singular = "agentconnector",
        Description = "AgentConnector runs the Conversational Cloud agent connectors of one bot: one connector pod per bot agent user in use, sized by load, started and stopped together.",
        ShortNames = ["agc"],
        Categories = ["connectoroperator"],
        SpecType = typeof(AgentConnectorSpec),
        StatusType = typeof(AgentConnectorStatus),
        Types = new SchemaTypeSet()
            .Add<AgentConnectorSpec>()
            .Add<BotReference>()
            .Add<AgentUser>()
            .Add<SecretReference>()
            .Add<SecretKeyReference>()
            .Add<ExternalWebhook>()
            .Add<ScalingSpec>()
            .Add<ConnectorPodTemplate>()
            .Add<ConnectorResources>()
            .Add<ConnectorToleration>()
            .Add<AgentConnectorStatus>()
            .Add<ScaleUpCandidate>()
            .Add<Condition>()
            .Add<ConnectorInstanceStatus>()
            .Add<AgentUserStatus>()
            .Add<ComponentStatuses>()
            .Add<ComponentStatus>(),
        PrinterColumns =
        [
            new("Bot", ".spec.bot.id", "string", "The bot's id."),
            new("Type", ".spec.conversationType", "string", "Messaging or Chat."),
            new("Env", ".spec.environment", "string", "Demo or Production."),
            new("State", ".status.state", "string", "Online, Offline or Stopped."),
            new("Ready", ".status.readyReplicas", "integer", "Connectors ready."),
            new("Desired", ".status.desiredReplicas", "integer", "Connectors wanted."),
            new("Conversations", ".status.activeConversations", "integer", "Conversations in progress."),
            new("Account", ".spec.accountId", "string", "The account (site) number.", Priority: 1),
            new("Role", ".spec.role", "string", "Agent or Manager.", Priority: 1),
            new("Age", ".metadata.creationTimestamp", "date", "Time since creation."),
        ],
        Scale = new ScaleSubresource(".spec.replicas", ".status.replicas", ".status.selector"),
    };

    public static string FileName => CrdGenerator.FileName(Definition);
}
