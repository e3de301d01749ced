namespace ConnectorOperator.Contracts;

/// <summary>
/// The keys of <see cref="CustomConfigurationCatalogue"/>, as written in customConfiguration (case-sensitive).
/// Code that reads one field by name uses these, so a misspelt key breaks the build instead of a lookup.
/// </summary>
public static class CustomConfigurationKeys
{
    public const string AccountId = "lpAccountId";
    public const string AccountUser = "lpAccountUser";
    public const string Password = "lpPassword";
    public const string AppKey = "lpAppKey";
    public const string AppSecret = "lpAppSecret";
    public const string AccessToken = "lpAccessToken";
    public const string AccessTokenSecret = "lpAccessTokenSecret";
    public const string CsdsDomain = "csdsDomain";
    public const string UserRole = "lpUserRole";
    public const string EnableAccessibility = "enableAccessibility";
    public const string FallbackSkillId = "fallbackSkillId";
    public const string FallbackEscalationTime = "fallbackEscalationTime";
    public const string DefaultGreetingMessage = "defaultGreetingMessage";
    public const string DefaultStepupMessage = "defaultStepupMessage";
    public const string MessageDelay = "messageDelay";
    public const string SkipAgentMessage = "skipAgentMessage";
    public const string TileDisplay = "tileDisplay";
    public const string MessageResendMaxRetries = "messageResendMaxRetries";
    public const string RetryMessageInterval = "retryMessageInterval";
    public const string MaxEscalationRetries = "maxEscalationRetries";
    public const string RingAcceptWait = "ringAcceptWait";
    public const string AcceptStatusEventValue = "acceptStatusEventValue";
    public const string EnableButtonTextOnPostback = "enableButtonTextOnPostback";
    public const string MaxConsumerMessageDelay = "maxConsumerMessageDelay";
    public const string UseRedis = "useRedis";
    public const string ExternalWebhookUrl = "externalWebhookUrl";
    public const string ExternalWebhookApiKey = "externalWebhookAPIKey";
    public const string ApigeeAuthUrl = "apigee_auth_url";
    public const string ApigeeGrantType = "apigee_grant_type";
    public const string ApigeeAudience = "apigee_audience";
    public const string ApigeeClientId = "apigee_client_id";
    public const string ApigeeClientSecret = "apigee_client_secret";
}
