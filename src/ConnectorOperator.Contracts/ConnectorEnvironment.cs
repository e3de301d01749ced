namespace ConnectorOperator.Contracts;

/// <summary>
/// Environment variable names the operator sets on a connector pod and the connector reads once at start
/// (docs/connector-contract.md). Both sides use these constants so a rename breaks the build, not a pod.
/// </summary>
public static class ConnectorEnvironment
{
    /// <summary>Account (site) number, digits.</summary>
    public const string AccountId = "CONNECTOR_ACCOUNT_ID";

    /// <summary>Login name of the bot agent user this pod logs in as.</summary>
    public const string AgentUser = "CONNECTOR_AGENT_USER";

    /// <summary><c>Agent</c> or <c>Manager</c>.</summary>
    public const string Role = "CONNECTOR_ROLE";

    /// <summary><c>Messaging</c> or <c>Chat</c>.</summary>
    public const string ConversationType = "CONNECTOR_CONVERSATION_TYPE";

    /// <summary><c>Demo</c> or <c>Production</c>.</summary>
    public const string Environment = "CONNECTOR_ENVIRONMENT";

    public const string BotId = "CONNECTOR_BOT_ID";

    /// <summary>URL the bot answers on.</summary>
    public const string BotEndpoint = "CONNECTOR_BOT_ENDPOINT";

    /// <summary>Optional, digits.</summary>
    public const string FallbackSkillId = "CONNECTOR_FALLBACK_SKILL_ID";

    /// <summary><c>true</c> / <c>false</c>.</summary>
    public const string Accessibility = "CONNECTOR_ACCESSIBILITY";

    /// <summary>Optional: HTTP connector mode, consumer messages go here instead of the bot endpoint.</summary>
    public const string ExternalWebhookUrl = "CONNECTOR_EXTERNAL_WEBHOOK_URL";

    /// <summary>Domain-lookup host (<c>http://127.0.0.1:port</c> for the simulator); a resource's <c>csdsDomain</c> custom value wins.</summary>
    public const string CsdsDomain = "CONNECTOR_CSDS_DOMAIN";

    /// <summary>JSON object of string values keyed by <see cref="CustomConfigurationCatalogue"/> keys.</summary>
    public const string CustomConfiguration = "CONNECTOR_CUSTOM_CONFIGURATION";

    /// <summary>Conversations this connector takes at most (1 to ConnectorHardCapacityLimit; above MaxCapacity, the baseline, it is warned about).</summary>
    public const string Capacity = "CONNECTOR_CAPACITY";

    /// <summary>The configuration revision the operator computed; echoed in <c>/status</c>.</summary>
    public const string Revision = "CONNECTOR_REVISION";

    /// <summary>Health/control port, default 8080.</summary>
    public const string HttpPort = "CONNECTOR_HTTP_PORT";

    /// <summary>Bind address, default all interfaces.</summary>
    public const string HttpAddress = "CONNECTOR_HTTP_ADDRESS";

    /// <summary>Time allowed to hand conversations back before exit, default 25.</summary>
    public const string DrainSeconds = "CONNECTOR_DRAIN_SECONDS";

    /// <summary>
    /// <c>true</c> only where the process that starts the connector holds its standard input as a pipe (the local
    /// cluster's process kubelet): the connector drains and exits when that pipe reaches end of file. Never set by
    /// the operator; a real pod's standard input is not such a pipe.
    /// </summary>
    public const string StopWhenStdinCloses = "CONNECTOR_STOP_WHEN_STDIN_CLOSES";

    // Protocol timings in milliseconds: production keeps the connector's defaults, tests shorten them.

    public const string TimingRefreshMs = "CONNECTOR_TIMING_REFRESH_MS";

    public const string TimingRequestTimeoutMs = "CONNECTOR_TIMING_REQUEST_TIMEOUT_MS";

    public const string TimingKeepAliveMs = "CONNECTOR_TIMING_KEEPALIVE_MS";

    public const string TimingReconnectInitialMs = "CONNECTOR_TIMING_RECONNECT_INITIAL_MS";

    public const string TimingReconnectMaxMs = "CONNECTOR_TIMING_RECONNECT_MAX_MS";

    public const string TimingChatPollMs = "CONNECTOR_TIMING_CHAT_POLL_MS";

    public const string TimingDomainCacheMs = "CONNECTOR_TIMING_DOMAIN_CACHE_MS";

    /// <summary>How long a full connector holds a ring before handing it back so a connector with room can take it.</summary>
    public const string TimingRingHoldMs = "CONNECTOR_TIMING_RING_HOLD_MS";

    /// <summary>How often the connector probes its bot (the bot contract's healthCheck event).</summary>
    public const string TimingBotProbeMs = "CONNECTOR_TIMING_BOT_PROBE_MS";

    // Credentials: only ever Secret-backed (secretKeyRef), never plain values.

    public const string AppKey = "LP_APP_KEY";

    public const string AppSecret = "LP_APP_SECRET";

    public const string AccessToken = "LP_ACCESS_TOKEN";

    public const string AccessTokenSecret = "LP_ACCESS_TOKEN_SECRET";

    public const string Password = "LP_PASSWORD";

    public const string ExternalWebhookApiKey = "CONNECTOR_EXTERNAL_WEBHOOK_API_KEY";

    /// <summary>The apigee_client_secret, with which the connector gets the external webhook's OAuth 2.0 token.</summary>
    public const string ApigeeClientSecret = "CONNECTOR_APIGEE_CLIENT_SECRET";

    /// <summary>Defaults the connector applies when the variable is absent.</summary>
    public const int DefaultHttpPort = 8080;

    public const int DefaultDrainSeconds = 25;

    /// <summary>
    /// The documents' baseline of concurrent conversations per connector ("no more than 50"): the connector's
    /// default capacity and the operator's default conversationsPerConnector, above which both warn.
    /// </summary>
    public const int MaxCapacity = 50;

    /// <summary>
    /// What the connector itself accepts, and so the most conversationsPerConnector the operator allows. Above
    /// <see cref="MaxCapacity"/> it runs with a warning.
    /// </summary>
    public const int ConnectorHardCapacityLimit = 1000;
}
