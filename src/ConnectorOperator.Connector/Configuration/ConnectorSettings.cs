using System.Collections;
using System.Globalization;
using ConnectorOperator.Contracts;
using Env = ConnectorOperator.Contracts.ConnectorEnvironment;

namespace ConnectorOperator.Connector.Configuration;

/// <summary>Everything a connector reads from its environment at start; see docs/connector-contract.md.</summary>
public sealed record ConnectorSettings
{
    public required string AccountId { get; init; }
    public required string AgentUser { get; init; }
    public AgentRole Role { get; init; } = AgentRole.Agent;
    public ConversationType ConversationType { get; init; } = ConversationType.Messaging;
    public required string BotId { get; init; }
    public required Uri BotEndpoint { get; init; }
    public string? FallbackSkillId { get; init; }
    public bool Accessibility { get; init; } = true;
    public Uri? ExternalWebhookUrl { get; init; }
    public string? ExternalWebhookApiKey { get; init; }

    /// <summary>When set, the external webhook's bearer is an OAuth 2.0 token from this endpoint instead of the API key.</summary>
    public ApigeeSettings? Apigee { get; init; }
    public string CsdsDomain { get; init; } = DefaultCsdsDomain;
    public CustomConfiguration Custom { get; init; } = new();
    public int Capacity { get; init; } = Env.MaxCapacity;
    public string Revision { get; init; } = "";
    public int HttpPort { get; init; } = Env.DefaultHttpPort;
    public string HttpAddress { get; init; } = "0.0.0.0";
    public TimeSpan DrainTime { get; init; } = TimeSpan.FromSeconds(Env.DefaultDrainSeconds);
    public required LoginCredentials Credentials { get; init; }
    public ConnectorTimings Timings { get; init; } = new();

    /// <summary>Warnings found while reading (keys ignored for this conversation type, password login).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public const string DefaultCsdsDomain = "adminlogin.liveperson.net";

    /// <summary>The secret values of these settings, for redaction.</summary>
    public IEnumerable<string> SecretValues()
    {
        foreach (var value in Credentials.SecretValues())
        {
            yield return value;
        }

        if (!string.IsNullOrEmpty(ExternalWebhookApiKey))
        {
            yield return ExternalWebhookApiKey;
        }

        if (Apigee is { } apigee)
        {
            yield return apigee.ClientSecret;
        }
    }

    public static ConnectorSettings? FromEnvironment(out IReadOnlyList<string> errors) =>
        Read(ReadProcessEnvironment(), out errors);

    /// <summary>
    /// Reads and validates settings. Every problem yields one clear sentence in <paramref name="errors"/>;
    /// no credential value is ever part of a sentence.
    /// </summary>
    public static ConnectorSettings? Read(IReadOnlyDictionary<string, string> env, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(env);
        var problems = new List<string>();
        var warnings = new List<string>();
        string? Get(string name) => env.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        var account = Get(Env.AccountId);
        if (account is null)
        {
            problems.Add($"{Env.AccountId} is missing: set the account (site) number");
        }
        else if (!account.All(char.IsAsciiDigit))
        {
            problems.Add($"{Env.AccountId} must be digits only, got '{account}'");
        }

        var user = Get(Env.AgentUser);
        if (user is null)
        {
            problems.Add($"{Env.AgentUser} is missing: set the login name of the bot agent user");
        }

        var role = ParseEnum(Get(Env.Role), Env.Role, AgentRole.Agent, problems);
        var type = ParseEnum(Get(Env.ConversationType), Env.ConversationType, ConversationType.Messaging, problems);
        if (type == ConversationType.Chat && role == AgentRole.Manager)
        {
            warnings.Add($"{Env.Role} is Manager, which has no meaning on Chat (Chat has no participant roles): the connector works as on Agent");
        }
        // Only checked: the operator sets it, and a connector behaves the same in either environment.
        var environment = Get(Env.Environment) ?? "Demo";
        if (environment is not ("Demo" or "Production"))
        {
            problems.Add($"{Env.Environment} must be Demo or Production, got '{environment}'");
        }

        var botId = Get(Env.BotId);
        if (botId is null)
        {
            problems.Add($"{Env.BotId} is missing: set the bot's id");
        }

        var botEndpoint = ParseHttpUrl(Get(Env.BotEndpoint), Env.BotEndpoint, required: true, problems);
        var fallbackSkill = Get(Env.FallbackSkillId);
        if (fallbackSkill is not null && !fallbackSkill.All(char.IsAsciiDigit))
        {
            problems.Add($"{Env.FallbackSkillId} must be digits only, got '{fallbackSkill}'");
        }

        var accessibility = true;
        var accessibilityText = Get(Env.Accessibility);
        if (accessibilityText is not null && !bool.TryParse(accessibilityText, out accessibility))
        {
            problems.Add($"{Env.Accessibility} must be true or false, got '{accessibilityText}'");
        }

        var webhook = ParseHttpUrl(Get(Env.ExternalWebhookUrl), Env.ExternalWebhookUrl, required: false, problems);
        var webhookKey = Get(Env.ExternalWebhookApiKey);
        var custom = CustomConfiguration.Parse(Get(Env.CustomConfiguration), type, problems, warnings);
        // Messaging only, like the catalogue says (on Chat the apigee_* keys were already warned about and dropped).
        var apigee = type == ConversationType.Messaging
            ? ApigeeSettings.Read(custom.Extra, Get(Env.ApigeeClientSecret), webhook is not null, problems, warnings)
            : null;
        if (apigee is not null && !string.IsNullOrEmpty(webhookKey))
        {
            warnings.Add($"both {Env.ExternalWebhookApiKey} and the apigee_* settings are set: the Apigee token is sent as the external webhook's bearer, the API key is not used");
        }

        // A resource's own csdsDomain (a QA account) is more specific than the operator-wide host.
        var csds = ReadCsdsDomain(custom.CsdsDomain, $"custom configuration key '{CustomConfigurationKeys.CsdsDomain}'", problems)
            ?? ReadCsdsDomain(Get(Env.CsdsDomain), Env.CsdsDomain, problems)
            ?? DefaultCsdsDomain;
        var capacity = ParseInt(Get(Env.Capacity), Env.Capacity, Env.MaxCapacity, 1, Env.ConnectorHardCapacityLimit, problems);
        if (capacity > Env.MaxCapacity)
        {
            warnings.Add($"{Env.Capacity} is {capacity}, above the product limit of {Env.MaxCapacity} conversations per connector: use only for load tests");
        }

        var port = ParseInt(Get(Env.HttpPort), Env.HttpPort, Env.DefaultHttpPort, 0, 65535, problems);
        var address = Get(Env.HttpAddress) ?? "0.0.0.0";
        if (!System.Net.IPAddress.TryParse(address, out _) && address != "localhost")
        {
            problems.Add($"{Env.HttpAddress} must be an IP address, got '{address}'");
        }

        var drain = ParseInt(Get(Env.DrainSeconds), Env.DrainSeconds, Env.DefaultDrainSeconds, 1, 3600, problems);
        var timings = ConnectorTimings.Read(Get, problems);
        var credentials = LoginCredentials.Read(Get, problems, warnings);

        errors = problems;
        if (problems.Count > 0)
        {
            return null;
        }

        return new ConnectorSettings
        {
            AccountId = account!,
            AgentUser = user!,
            Role = role,
            ConversationType = type,
            BotId = botId!,
            BotEndpoint = botEndpoint!,
            FallbackSkillId = fallbackSkill,
            Accessibility = accessibility,
            ExternalWebhookUrl = webhook,
            ExternalWebhookApiKey = webhookKey,
            Apigee = apigee,
            CsdsDomain = csds,
            Custom = custom,
            Capacity = capacity,
            Revision = Get(Env.Revision) ?? "",
            HttpPort = port,
            HttpAddress = address,
            DrainTime = TimeSpan.FromSeconds(drain),
            Credentials = credentials!,
            Timings = timings,
            Warnings = warnings,
        };
    }

    private static Dictionary<string, string> ReadProcessEnvironment()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                map[key] = value;
            }
        }

        return map;
    }

    private static T ParseEnum<T>(string? text, string name, T fallback, List<string> problems)
        where T : struct, Enum
    {
        if (text is null)
        {
            return fallback;
        }

        if (Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !text.All(char.IsAsciiDigit))
        {
            return value;
        }

        problems.Add($"{name} must be one of {string.Join(", ", Enum.GetNames<T>())}, got '{text}'");
        return fallback;
    }

    internal static int ParseInt(string? text, string name, int fallback, int min, int max, List<string> problems)
    {
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            problems.Add($"{name} must be a whole number, got '{text}'");
            return fallback;
        }

        if (value < min || value > max)
        {
            problems.Add($"{name} must be between {min} and {max}, got {value}");
            return fallback;
        }

        return value;
    }

    /// <summary>A host name, or an http(s)://host:port URL (a simulator); null when not given or invalid.</summary>
    private static string? ReadCsdsDomain(string? text, string name, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var value = text.Trim();
        if (value.Contains("://", StringComparison.Ordinal)
            && (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            problems.Add($"{name} must be a host name or an http(s)://host:port URL, got '{value}'");
            return null;
        }

        return value;
    }

    private static Uri? ParseHttpUrl(string? text, string name, bool required, List<string> problems)
    {
        if (text is null)
        {
            if (required)
            {
                problems.Add($"{name} is missing: set the URL the bot answers on");
            }

            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri;
        }

        problems.Add($"{name} must be an absolute http:// or https:// URL, got '{text}'");
        return null;
    }
}
