using System.Globalization;
using ConnectorOperator.Simulator.Options;

namespace ConnectorOperator.Simulator.Cloud;

/// <summary>An agent user's live state; guarded by the engine's lock.</summary>
internal sealed class AgentUserRuntime(AccountRuntime account, AgentUserOptions options)
{
    public AccountRuntime Account { get; } = account;

    public AgentUserOptions Options { get; } = options;

    public string LoginName => Options.LoginName;

    public string UserId { get; } = $"{account.Id}.{options.UserNumber.ToString(CultureInfo.InvariantCulture)}";

    public string UserPid { get; } = $"pid-{account.Id}-{options.UserNumber.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Messaging availability: ONLINE, AWAY or OFFLINE.</summary>
    public string Availability { get; set; } = "OFFLINE";

    public AgentSession? LiveSession { get; set; }

    /// <summary>When this user was last rung, to spread rings over equally loaded agents.</summary>
    public DateTimeOffset LastRungAt { get; set; } = DateTimeOffset.MinValue;

    /// <summary>The participant role this user holds its Messaging conversations in (its profile).</summary>
    public string ParticipantRole => Options.Profile == AgentRole.Manager ? "MANAGER" : "ASSIGNED_AGENT";

    public bool HasSkill(string skillId) => Options.Skills.Contains(skillId, StringComparer.Ordinal);

    public bool IsIdentifiedBy(string agentId) =>
        string.Equals(agentId, UserId, StringComparison.Ordinal)
        || string.Equals(agentId, Options.UserNumber.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
