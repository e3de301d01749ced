using Env = ConnectorOperator.Contracts.ConnectorEnvironment;
using Key = ConnectorOperator.Contracts.CustomConfigurationKeys;

namespace ConnectorOperator.Connector.Configuration;

/// <summary>
/// The apigee_* fields: an OAuth 2.0 token endpoint whose token is the external webhook's bearer. The client secret
/// comes only from its Secret-backed variable, never from the custom configuration.
/// </summary>
public sealed record ApigeeSettings(Uri AuthUrl, string GrantType, string? Audience, string ClientId, string ClientSecret)
{
    /// <summary>The grant when apigee_grant_type is not set: a service calling a service.</summary>
    public const string DefaultGrantType = "client_credentials";

    /// <summary>Null when none of the fields is set; a partial set is an error.</summary>
    internal static ApigeeSettings? Read(IReadOnlyDictionary<string, string> custom, string? clientSecret, bool hasWebhook, List<string> problems, List<string> warnings)
    {
        var authUrl = custom.GetValueOrDefault(Key.ApigeeAuthUrl);
        var clientId = custom.GetValueOrDefault(Key.ApigeeClientId);
        var grantType = custom.GetValueOrDefault(Key.ApigeeGrantType);
        var audience = custom.GetValueOrDefault(Key.ApigeeAudience);
        if (authUrl is null && clientId is null && grantType is null && audience is null && clientSecret is null)
        {
            return null;
        }

        var before = problems.Count;
        if (authUrl is null)
        {
            problems.Add($"custom configuration key '{Key.ApigeeAuthUrl}' is missing: the other apigee_* settings need the token URL");
        }

        Uri? url = null;
        if (authUrl is not null && (!Uri.TryCreate(authUrl, UriKind.Absolute, out url) || url.Scheme is not ("http" or "https")))
        {
            problems.Add($"custom configuration key '{Key.ApigeeAuthUrl}' must be an absolute http(s) URL, got '{authUrl}'");
        }

        if (string.IsNullOrEmpty(clientId))
        {
            problems.Add($"custom configuration key '{Key.ApigeeClientId}' is missing: {Key.ApigeeAuthUrl} needs the OAuth 2.0 client id");
        }

        if (string.IsNullOrEmpty(clientSecret))
        {
            problems.Add($"{Env.ApigeeClientSecret} is missing: {Key.ApigeeAuthUrl} needs the client secret, from the Secret in spec.externalWebhook.apigeeClientSecretRef");
        }

        if (problems.Count > before)
        {
            return null;
        }

        if (!hasWebhook)
        {
            warnings.Add($"the apigee_* settings are ignored: their token is the external webhook's bearer and {Env.ExternalWebhookUrl} is not set");
            return null;
        }

        return new ApigeeSettings(url!, string.IsNullOrEmpty(grantType) ? DefaultGrantType : grantType, string.IsNullOrEmpty(audience) ? null : audience, clientId!, clientSecret!);
    }
}
