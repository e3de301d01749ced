using System.Collections.Concurrent;
using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.Kubernetes.Models;
using ConnectorOperator.Reconciliation;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Controllers;

/// <summary>
/// Learns which keys a credentials V1Secret has (never its values) so the pod references exactly those keys and a
/// password login can be warned about. Secrets are watched as metadata only; the full Secret is read once per
/// resourceVersion and dropped at once.
/// </summary>
public sealed class CredentialsInspector(KubernetesClient client)
{
    private readonly ConcurrentDictionary<(string, string), (string? Version, string[] Keys)> _keys = new();

    public async Task<CredentialsInfo> InspectAsync(string @namespace, string secretName, PartialObjectMetadata? metadata, CancellationToken cancellationToken)
    {
        if (metadata is null) return CredentialsInfo.FromKeys(secretName, null);
        if (_keys.TryGetValue((@namespace, secretName), out var known) && known.Version == metadata.Metadata.ResourceVersion)
            return CredentialsInfo.FromKeys(secretName, known.Keys);

        var secret = await client.TryGetAsync<V1Secret>(ResourceType.Secret, @namespace, secretName, cancellationToken);
        if (secret is null) return CredentialsInfo.FromKeys(secretName, null);
        string[] keys = [.. (secret.Data?.Keys ?? Enumerable.Empty<string>()).Concat(secret.StringData?.Keys ?? Enumerable.Empty<string>()).Distinct(StringComparer.Ordinal)];
        _keys[(@namespace, secretName)] = (secret.Metadata.ResourceVersion, keys);
        return CredentialsInfo.FromKeys(secretName, keys);
    }
}
