using k8s.Models;

namespace ConnectorOperator.Kubernetes.Models;

public static class ObjectMetaExtensions
{
    /// <summary>The ownerReference with controller=true, if any.</summary>
    public static V1OwnerReference? ControllerReference(this V1ObjectMeta meta)
    {
        ArgumentNullException.ThrowIfNull(meta);
        return meta.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
    }

    public static bool HasFinalizer(this V1ObjectMeta meta, string finalizer)
    {
        ArgumentNullException.ThrowIfNull(meta);
        return meta.Finalizers?.Contains(finalizer) == true;
    }

    public static string? Annotation(this V1ObjectMeta meta, string key)
    {
        ArgumentNullException.ThrowIfNull(meta);
        return meta.Annotations is { } annotations && annotations.TryGetValue(key, out var value) ? value : null;
    }

    public static string? Label(this V1ObjectMeta meta, string key)
    {
        ArgumentNullException.ThrowIfNull(meta);
        return meta.Labels is { } labels && labels.TryGetValue(key, out var value) ? value : null;
    }

    /// <summary>An API time as an instant: the library decodes metav1.Time to a <see cref="DateTime"/> that may come back unspecified.</summary>
    public static DateTimeOffset ToInstant(this DateTime time) => time.Kind switch
    {
        DateTimeKind.Utc => new DateTimeOffset(time, TimeSpan.Zero),
        DateTimeKind.Local => new DateTimeOffset(time.ToUniversalTime(), TimeSpan.Zero),
        _ => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc), TimeSpan.Zero),
    };

    public static DateTimeOffset? ToInstant(this DateTime? time) => time?.ToInstant();
}
