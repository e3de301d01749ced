namespace ConnectorOperator.Simulator.Options;

/// <summary>An agent user and the credentials it may log in with (either or both ways).</summary>
public sealed class AgentUserOptions
{
    public string LoginName { get; set; } = "";

    /// <summary>The user's number; its user id is <c>{account}.{number}</c>.</summary>
    public long UserNumber { get; set; }

    public string? Password { get; set; }

    public string? AppKey { get; set; }

    public string? AppSecret { get; set; }

    public string? AccessToken { get; set; }

    public string? AccessTokenSecret { get; set; }

    /// <summary>Skill ids routing may give this user conversations from.</summary>
    public List<string> Skills { get; set; } = [];

    /// <summary>Conversations (assigned plus ringing) this user holds at most.</summary>
    public int MaxConversations { get; set; } = 50;

    /// <summary>
    /// The user's profile. A Manager (agent manager profile) takes the conversations routing gives it as a MANAGER
    /// participant, an Agent as the ASSIGNED_AGENT: its events carry that role and only that role can remove it.
    /// Messaging only; Chat has no participant roles.
    /// </summary>
    public AgentRole Profile { get; set; } = AgentRole.Agent;

    /// <summary>Bot users make their skills "bot skills"; a skill without any bot user is a human skill.</summary>
    public bool IsBot { get; set; } = true;

    public static AgentUserOptions WithApiKey(string loginName, long userNumber, IEnumerable<string> skills) => new()
    {
        LoginName = loginName,
        UserNumber = userNumber,
        AppKey = $"{loginName}-app-key",
        AppSecret = $"{loginName}-app-secret",
        AccessToken = $"{loginName}-access-token",
        AccessTokenSecret = $"{loginName}-access-token-secret",
        Skills = [.. skills],
    };

    public static AgentUserOptions WithPassword(string loginName, long userNumber, string password, IEnumerable<string> skills) => new()
    {
        LoginName = loginName,
        UserNumber = userNumber,
        Password = password,
        Skills = [.. skills],
    };
}
