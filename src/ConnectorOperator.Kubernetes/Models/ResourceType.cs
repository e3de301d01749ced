namespace ConnectorOperator.Kubernetes.Models;

/// <summary>Where a kind lives in the API: group, version, plural and scope. Builds request paths.</summary>
public sealed record ResourceType(string Group, string Version, string Kind, string Plural, bool Namespaced = true)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>/api/v1 for the core group, /apis/{group}/{version} otherwise.</summary>
    public string GroupVersionPath => Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";

    /// <summary>The collection or object path; a null namespace on a namespaced kind means all namespaces.</summary>
    public string PathFor(string? @namespace = null, string? name = null, string? subresource = null)
    {
        var path = Namespaced && !string.IsNullOrEmpty(@namespace)
            ? $"{GroupVersionPath}/namespaces/{Uri.EscapeDataString(@namespace)}/{Plural}"
            : $"{GroupVersionPath}/{Plural}";
        if (name is not null) path += "/" + Uri.EscapeDataString(name);
        if (subresource is not null) path += "/" + subresource;
        return path;
    }

    public override string ToString() => $"{Plural}.{(Group.Length == 0 ? "core" : Group)}/{Version}";

    public static readonly ResourceType Pod = new("", "v1", "Pod", "pods");
    public static readonly ResourceType Secret = new("", "v1", "Secret", "secrets");
    public static readonly ResourceType ConfigMap = new("", "v1", "ConfigMap", "configmaps");
    public static readonly ResourceType Namespace = new("", "v1", "Namespace", "namespaces", Namespaced: false);
    public static readonly ResourceType Event = new("events.k8s.io", "v1", "Event", "events");
    public static readonly ResourceType Lease = new("coordination.k8s.io", "v1", "Lease", "leases");
    public static readonly ResourceType PodDisruptionBudget = new("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets");
    public static readonly ResourceType CustomResourceDefinition =
        new("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", Namespaced: false);
}
