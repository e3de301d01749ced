namespace ConnectorOperator.Contracts;

/// <summary>
/// Keys of an agent user's credentials Secret (spec.agentUsers[].credentialsSecretRef). API-key login uses the
/// first four together; <see cref="Password"/> is the older password login.
/// </summary>
public static class AgentCredentialKeys
{
    public const string AppKey = "appKey";

    public const string AppSecret = "appSecret";

    public const string AccessToken = "accessToken";

    public const string AccessTokenSecret = "accessTokenSecret";

    public const string Password = "password";

    /// <summary>Key of the external webhook's bearer key in its Secret when apiKeySecretRef.key is not set.</summary>
    public const string DefaultWebhookApiKey = "apiKey";

    /// <summary>Key of the Apigee client secret in its Secret when apigeeClientSecretRef.key is not set.</summary>
    public const string DefaultApigeeClientSecret = "clientSecret";
}
