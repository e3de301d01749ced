namespace ConnectorOperator.LocalCluster.Writes.Patching;

/// <summary>
/// The list merge strategies of the built-in kinds, transcribed from the patchStrategy/patchMergeKey tags of k8s.io/api.
/// Paths are field names joined with '.', list items being transparent ("spec.containers.env").
/// Lists not named here (tolerations, envFrom, PDB fields, ...) are atomic, as they are in the API.
/// </summary>
internal static class BuiltInListStrategies
{
    private static readonly Dictionary<string, ListStrategy> ObjectMeta = new(StringComparer.Ordinal)
    {
        ["metadata.finalizers"] = ListStrategy.Set,
        ["metadata.ownerReferences"] = ListStrategy.ByKey("uid"),
    };

    private static readonly Dictionary<string, ListStrategy> PodSpec = BuildPodSpec();

    private static readonly Dictionary<string, string> PodSpecLocations = new(StringComparer.Ordinal)
    {
        ["Pod"] = "spec.",
        ["PodTemplate"] = "template.spec.",
        ["Deployment"] = "spec.template.spec.",
        ["ReplicaSet"] = "spec.template.spec.",
        ["ReplicationController"] = "spec.template.spec.",
        ["StatefulSet"] = "spec.template.spec.",
        ["DaemonSet"] = "spec.template.spec.",
        ["Job"] = "spec.template.spec.",
        ["CronJob"] = "spec.jobTemplate.spec.template.spec.",
    };

    private static readonly Dictionary<string, Dictionary<string, ListStrategy>> KindSpecific = new(StringComparer.Ordinal)
    {
        ["Pod"] = new(StringComparer.Ordinal)
        {
            ["status.conditions"] = ListStrategy.ByKey("type"),
            ["status.podIPs"] = ListStrategy.ByKey("ip"),
            ["status.hostIPs"] = ListStrategy.ByKey("ip"),
        },
        ["Service"] = new(StringComparer.Ordinal) { ["spec.ports"] = ListStrategy.ByKey("port") },
        ["Node"] = new(StringComparer.Ordinal)
        {
            ["status.conditions"] = ListStrategy.ByKey("type"),
            ["status.addresses"] = ListStrategy.ByKey("type"),
        },
        ["Namespace"] = ConditionsByType(),
        ["Deployment"] = ConditionsByType(),
        ["ReplicaSet"] = ConditionsByType(),
        ["StatefulSet"] = ConditionsByType(),
        ["DaemonSet"] = ConditionsByType(),
        ["Job"] = ConditionsByType(),
        ["PodDisruptionBudget"] = ConditionsByType(),
        ["ReplicationController"] = ConditionsByType(),
    };

    /// <param name="kind">A built-in kind; anything else gets only the ObjectMeta strategies.</param>
    /// <param name="fieldPath">Field names from the object root, list items skipped.</param>
    public static ListStrategy For(string kind, string fieldPath)
    {
        if (ObjectMeta.TryGetValue(fieldPath, out var meta))
        {
            return meta;
        }

        if (KindSpecific.TryGetValue(kind, out var specific) && specific.TryGetValue(fieldPath, out var strategy))
        {
            return strategy;
        }

        if (PodSpecLocations.TryGetValue(kind, out var prefix)
            && fieldPath.StartsWith(prefix, StringComparison.Ordinal)
            && PodSpec.TryGetValue(fieldPath[prefix.Length..], out var podStrategy))
        {
            return podStrategy;
        }

        return ListStrategy.Atomic;
    }

    private static Dictionary<string, ListStrategy> ConditionsByType() =>
        new(StringComparer.Ordinal) { ["status.conditions"] = ListStrategy.ByKey("type") };

    private static Dictionary<string, ListStrategy> BuildPodSpec()
    {
        var table = new Dictionary<string, ListStrategy>(StringComparer.Ordinal)
        {
            ["volumes"] = ListStrategy.ByKey("name"),
            ["imagePullSecrets"] = ListStrategy.ByKey("name"),
            ["hostAliases"] = ListStrategy.ByKey("ip"),
            ["schedulingGates"] = ListStrategy.ByKey("name"),
            ["resourceClaims"] = ListStrategy.ByKey("name"),
            ["topologySpreadConstraints"] = ListStrategy.ByKey("topologyKey"),
        };
        foreach (var containers in new[] { "containers", "initContainers", "ephemeralContainers" })
        {
            table[containers] = ListStrategy.ByKey("name");
            table[containers + ".env"] = ListStrategy.ByKey("name");
            table[containers + ".ports"] = ListStrategy.ByKey("containerPort");
            table[containers + ".volumeMounts"] = ListStrategy.ByKey("mountPath");
            table[containers + ".volumeDevices"] = ListStrategy.ByKey("devicePath");
        }

        return table;
    }
}
