namespace ConnectorOperator.Simulator.Options;

/// <summary>The sample bot endpoint's behaviour (the bot contract of docs/connector-contract.md).</summary>
public sealed class SampleBotOptions
{
    /// <summary>Skill the bot escalates to; absent means the connector's fallback skill.</summary>
    public string? HumanSkillId { get; set; }

    /// <summary>When set, callers must send <c>Authorization: Bearer {key}</c> (external webhook mode).</summary>
    public string? ApiKey { get; set; }

    /// <summary>When true, callers must send a bearer the Apigee token endpoint issued and that has not expired.</summary>
    public bool RequireApigeeToken { get; set; }

    /// <summary>Delay before every answer.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>When set, every call fails with this HTTP status.</summary>
    public int? FailureStatus { get; set; }
}
