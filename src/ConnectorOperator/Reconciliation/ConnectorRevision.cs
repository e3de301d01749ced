using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ConnectorOperator.Api;
using ConnectorOperator.Kubernetes.Models;

namespace ConnectorOperator.Reconciliation;

/// <summary>
/// The revision of everything a connector reads at start: the spec fields that reach the pod, the operator
/// settings that shape it, and the resourceVersions of the Secrets it reads. A change rolls the pods.
/// Scaling fields and the Start/Stop toggles are not part of it: they change how many pods run, not what they run.
/// A restart request (<see cref="ConnectorLabels.RestartedAt"/>) is. Fields added later are written only when set,
/// so an unchanged spec keeps the revision an older operator computed and an upgrade restarts nothing.
/// </summary>
public static class ConnectorRevision
{
    public static string Compute(AgentConnector connector, OperatorSettings settings, IReadOnlyDictionary<string, string?> secretVersions)
    {
        ArgumentNullException.ThrowIfNull(connector);
        return Compute(connector.Spec, settings, secretVersions, connector.Metadata.Annotation(ConnectorLabels.RestartedAt));
    }

    public static string Compute(AgentConnectorSpec spec, OperatorSettings settings, IReadOnlyDictionary<string, string?> secretVersions, string? restartedAt = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(secretVersions);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("bot", spec.Bot.Id);
            w.WriteString("endpoint", BotEndpoint(spec, settings));
            w.WriteString("account", spec.AccountId);
            w.WriteString("type", spec.ConversationType?.ToString());
            w.WriteString("role", spec.Role.ToString());
            w.WriteString("env", spec.Environment.ToString());
            w.WriteString("fallbackSkill", spec.FallbackSkillId);
            w.WriteBoolean("accessibility", spec.Accessibility);
            w.WriteString("webhook", spec.ExternalWebhook?.Url);
            w.WriteString("webhookKey", spec.ExternalWebhook?.ApiKeySecretRef is { } k ? $"{k.Name}/{k.Key}" : null);
            if (spec.ExternalWebhook?.ApigeeClientSecretRef is { } a) w.WriteString("apigeeSecret", $"{a.Name}/{a.Key}");
            w.WriteString("image", Image(spec, settings));
            w.WriteString("csds", settings.CsdsDomain);
            w.WriteNumber("port", settings.ConnectorPort);
            w.WriteNumber("drain", settings.DrainSeconds);
            w.WriteNumber("capacity", spec.Scaling?.ConversationsPerConnector ?? AgentConnectorRules.BaselineConversationsPerConnector);
            w.WriteStartObject("custom");
            foreach (var (key, value) in (spec.CustomConfiguration ?? []).OrderBy(p => p.Key, StringComparer.Ordinal)) w.WriteString(key, value);
            w.WriteEndObject();
            w.WriteStartObject("users");
            foreach (var user in spec.AgentUsers.OrderBy(u => u.LoginName, StringComparer.Ordinal)) w.WriteString(user.LoginName, user.CredentialsSecretRef.Name);
            w.WriteEndObject();
            w.WriteStartObject("secrets");
            foreach (var (name, version) in secretVersions.OrderBy(p => p.Key, StringComparer.Ordinal)) w.WriteString(name, version);
            w.WriteEndObject();
            w.WriteString("template", spec.PodTemplate is null ? null : JsonSerializer.Serialize(spec.PodTemplate, AgentConnectorJsonContext.Default.ConnectorPodTemplate));
            if (restartedAt is not null) w.WriteString("restartedAt", restartedAt);
            w.WriteEndObject();
        }
        var hash = SHA256.HashData(buffer.ToArray());
        return Convert.ToHexStringLower(hash.AsSpan(0, 5));
    }

    public static string BotEndpoint(AgentConnectorSpec spec, OperatorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(settings);
        return string.IsNullOrEmpty(spec.Bot.Endpoint)
            ? settings.BotEndpointTemplate.Replace("{botId}", Uri.EscapeDataString(spec.Bot.Id), StringComparison.Ordinal)
            : spec.Bot.Endpoint;
    }

    /// <summary>The connector image: the resource's own, or the operator's default.</summary>
    public static string Image(AgentConnectorSpec spec, OperatorSettings settings) =>
        string.IsNullOrEmpty(spec.Image) ? settings.DefaultImage : spec.Image;

    /// <summary>A short stable hash of an agent user's login name, usable as a label value.</summary>
    public static string AgentUserHash(string loginName) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(loginName)).AsSpan(0, 6));
}
