using ConnectorOperator.Simulator.Options;

namespace ConnectorOperator.Simulator.Cloud;

/// <summary>An account's users, skills and conversations; guarded by the engine's lock.</summary>
internal sealed class AccountRuntime
{
    public AccountRuntime(AccountOptions options)
    {
        Options = options;
        Users = options.Users.Select(u => new AgentUserRuntime(this, u)).ToList();
        Skills = options.Skills.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var botSkills = options.Users.Where(u => u.IsBot).SelectMany(u => u.Skills).ToHashSet(StringComparer.Ordinal);
        HumanSkills = options.Skills.Select(s => s.Id).Where(id => !botSkills.Contains(id)).ToHashSet(StringComparer.Ordinal);
    }

    public AccountOptions Options { get; }

    public string Id => Options.Id;

    public ConversationType ConversationType => Options.ConversationType;

    public IReadOnlyList<AgentUserRuntime> Users { get; }

    public IReadOnlyDictionary<string, SkillOptions> Skills { get; }

    /// <summary>Skills no bot user serves: a transfer there is an escalation to humans.</summary>
    public IReadOnlySet<string> HumanSkills { get; }

    public Dictionary<string, Conversation> OpenConversations { get; } = new(StringComparer.Ordinal);

    public AgentUserRuntime? FindUser(string loginName) =>
        Users.FirstOrDefault(u => string.Equals(u.Options.LoginName, loginName, StringComparison.Ordinal));
}
