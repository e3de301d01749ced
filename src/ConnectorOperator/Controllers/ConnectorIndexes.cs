using ConnectorOperator.Api;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Kubernetes.Runtime;

namespace ConnectorOperator.Controllers;

/// <summary>
/// Indexes of the AgentConnector cache, so a reconcile or an event looks up the few connectors it concerns
/// instead of scanning them all: by agent user (account/login name) and by referenced Secret (namespace/name).
/// </summary>
public static class ConnectorIndexes
{
    public const string AgentUser = "agent-user";
    public const string Secret = "secret";

    public static void AddTo(Store<AgentConnector> store)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.AddIndex(AgentUser, AgentUsersOf).AddIndex(Secret, SecretsOf);
    }

    public static string AgentUserKey(string? accountId, string loginName) => $"{accountId}/{loginName}";

    public static string SecretKey(string? @namespace, string name) => $"{@namespace}/{name}";

    public static IEnumerable<string> AgentUsersOf(AgentConnector connector)
    {
        ArgumentNullException.ThrowIfNull(connector);
        var spec = connector.Spec;
        return spec?.AgentUsers is { } users ? users.Select(u => AgentUserKey(spec.AccountId, u.LoginName)).Distinct(StringComparer.Ordinal) : [];
    }

    public static IEnumerable<string> SecretsOf(AgentConnector connector)
    {
        ArgumentNullException.ThrowIfNull(connector);
        var ns = connector.Metadata.NamespaceProperty;
        return ReferencedSecrets(connector).Select(name => SecretKey(ns, name));
    }

    /// <summary>The other AgentConnectors naming one of this one's agent users in the same account.</summary>
    public static IEnumerable<AgentConnector> SharingAgentUsers(Store<AgentConnector> store, AgentConnector connector)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(connector);
        return AgentUsersOf(connector)
            .SelectMany(user => store.ByIndex(AgentUser, user))
            .Where(other => other.Metadata.Uid != connector.Metadata.Uid)
            .DistinctBy(ObjectKey.Of);
    }

    /// <summary>The AgentConnectors that read a Secret (credentials, webhook API key, Apigee client secret).</summary>
    public static IEnumerable<ObjectKey> UsingSecret(Store<AgentConnector> store, string? @namespace, string name)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.ByIndex(Secret, SecretKey(@namespace, name)).Select(ObjectKey.Of);
    }

    private static HashSet<string> ReferencedSecrets(AgentConnector connector)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var user in connector.Spec?.AgentUsers ?? [])
        {
            if (!string.IsNullOrEmpty(user.CredentialsSecretRef?.Name)) names.Add(user.CredentialsSecretRef.Name);
        }
        if (connector.Spec?.ExternalWebhook?.ApiKeySecretRef?.Name is { Length: > 0 } key) names.Add(key);
        if (connector.Spec?.ExternalWebhook?.ApigeeClientSecretRef?.Name is { Length: > 0 } apigee) names.Add(apigee);
        return names;
    }
}
