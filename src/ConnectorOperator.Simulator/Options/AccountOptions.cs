namespace ConnectorOperator.Simulator.Options;

public sealed class AccountOptions
{
    /// <summary>Account (site) number, digits.</summary>
    public string Id { get; set; } = "";

    public ConversationType ConversationType { get; set; } = ConversationType.Messaging;

    public List<SkillOptions> Skills { get; set; } = [];

    public List<AgentUserOptions> Users { get; set; } = [];

    internal void Validate()
    {
        if (Id.Length == 0 || !Id.All(char.IsAsciiDigit))
        {
            throw new InvalidOperationException($"Account id '{Id}' must be digits.");
        }

        var skillIds = Skills.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        if (skillIds.Count != Skills.Count)
        {
            throw new InvalidOperationException($"Account {Id} lists a skill twice.");
        }

        if (Users.Select(u => u.LoginName).Distinct(StringComparer.Ordinal).Count() != Users.Count
            || Users.Select(u => u.UserNumber).Distinct().Count() != Users.Count)
        {
            throw new InvalidOperationException($"Account {Id} lists a user twice.");
        }

        foreach (var user in Users)
        {
            var unknown = user.Skills.FirstOrDefault(s => !skillIds.Contains(s));
            if (unknown is not null)
            {
                throw new InvalidOperationException($"User {user.LoginName} of account {Id} names unknown skill {unknown}.");
            }

            if (user.MaxConversations < 1)
            {
                throw new InvalidOperationException($"User {user.LoginName} of account {Id} needs a capacity of at least 1.");
            }
        }
    }
}
