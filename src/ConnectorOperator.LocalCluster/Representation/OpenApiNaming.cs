namespace ConnectorOperator.LocalCluster.Representation;

/// <summary>The names Kubernetes gives definitions and paths in its OpenAPI documents.</summary>
internal static class OpenApiNaming
{
    public const string ObjectMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
    public const string ListMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta";
    public const string OwnerReference = "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference";
    public const string ManagedFieldsEntry = "io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry";
    public const string Patch = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";
    public const string Status = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
    public const string Scale = "io.k8s.api.autoscaling.v1.Scale";

    /// <summary>
    /// Built-ins live under io.k8s.api.&lt;group's first label&gt; ("core" for the legacy group), CRDs under their group
    /// reversed: connectoroperator.dev/v1alpha1 AgentConnector → dev.connectoroperator.v1alpha1.AgentConnector.
    /// </summary>
    public static string Definition(string group, string version, string kind)
    {
        if (group.Length == 0)
        {
            return $"io.k8s.api.core.{version}.{kind}";
        }

        if (group == "apiextensions.k8s.io")
        {
            return $"io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.{version}.{kind}";
        }

        if (group.EndsWith(".k8s.io", StringComparison.Ordinal) || !group.Contains('.', StringComparison.Ordinal))
        {
            return $"io.k8s.api.{group.Split('.')[0]}.{version}.{kind}";
        }

        return string.Join('.', group.Split('.').Reverse()) + $".{version}.{kind}";
    }

    public static string Definition(ServedKind kind) => Definition(kind.Group, kind.Version, kind.Kind);

    /// <summary>The /openapi/v3 index key: "api/v1" for the core group, "apis/&lt;group&gt;/&lt;version&gt;" otherwise.</summary>
    public static string GroupVersionKey(string group, string version) =>
        group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";

    /// <summary>The collection path ("/apis/g/v/namespaces/{namespace}/plural") and the item path (".../{name}").</summary>
    public static (string Collection, string Item) ResourcePaths(ServedKind kind)
    {
        var prefix = "/" + GroupVersionKey(kind.Group, kind.Version);
        var collection = kind.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{kind.Plural}" : $"{prefix}/{kind.Plural}";
        return (collection, collection + "/{name}");
    }
}
