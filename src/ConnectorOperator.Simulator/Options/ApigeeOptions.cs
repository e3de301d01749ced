namespace ConnectorOperator.Simulator.Options;

/// <summary>
/// An OAuth 2.0 token endpoint like the one a brand's Apigee gateway runs for its external webhook (the apigee_*
/// custom configuration): client credentials in a form body, a bearer token with a lifetime back.
/// </summary>
public sealed class ApigeeOptions
{
    public string ClientId { get; set; } = "";

    public string ClientSecret { get; set; } = "";

    public string GrantType { get; set; } = "client_credentials";

    /// <summary>When set, requests must name this audience.</summary>
    public string? Audience { get; set; }

    /// <summary>The tokens' expires_in.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);
}
