using ConnectorOperator.Contracts;

namespace ConnectorOperator.Reconciliation;

public enum CredentialKind
{
    /// <summary>The Secret does not exist.</summary>
    Missing,

    /// <summary>The Secret exists but holds neither a complete API key nor a password.</summary>
    Incomplete,

    /// <summary>appKey, appSecret, accessToken, accessTokenSecret: the documents' preferred login.</summary>
    ApiKey,

    /// <summary>password: allowed, but it expires and is less secure.</summary>
    Password,
}

/// <summary>What a credentials Secret offers, judged from its key names only (values are never kept).</summary>
public sealed record CredentialsInfo(string SecretName, CredentialKind Kind, IReadOnlyList<string> MissingKeys)
{
    public static readonly string[] ApiKeyKeys = [AgentCredentialKeys.AppKey, AgentCredentialKeys.AppSecret, AgentCredentialKeys.AccessToken, AgentCredentialKeys.AccessTokenSecret];

    public static CredentialsInfo FromKeys(string secretName, IReadOnlyCollection<string>? keys)
    {
        if (keys is null) return new(secretName, CredentialKind.Missing, []);
        var missing = ApiKeyKeys.Where(k => !keys.Contains(k)).ToArray();
        if (missing.Length == 0) return new(secretName, CredentialKind.ApiKey, []);
        if (keys.Contains(AgentCredentialKeys.Password)) return new(secretName, CredentialKind.Password, []);
        return new(secretName, CredentialKind.Incomplete, missing);
    }

    public bool Usable => Kind is CredentialKind.ApiKey or CredentialKind.Password;

    /// <summary>Why this agent user cannot log in, in words a platform engineer can act on.</summary>
    public string Problem(string loginName) => Kind switch
    {
        CredentialKind.Missing => $"agent user '{loginName}': credentials Secret '{SecretName}' does not exist",
        CredentialKind.Incomplete => $"agent user '{loginName}': Secret '{SecretName}' has neither the API-key keys ({string.Join(", ", MissingKeys)} missing) nor 'password'",
        _ => "",
    };
}
