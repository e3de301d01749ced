using ConnectorOperator.Kubernetes.Models;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Kubernetes.Client;

/// <summary>Arguments of one write, whatever the kind.</summary>
internal sealed record WriteArguments(string FieldManager, string? Subresource = null, bool? Force = null);

/// <summary>
/// One built-in kind's operations on KubernetesClient's typed client (<c>CoreV1.ReadNamespacedPodAsync</c>, ...),
/// so the generic wrapper can reach them by <see cref="ResourceType"/>. Kinds without an entry go through
/// <c>CustomObjects</c>, which serves any group by path.
/// </summary>
internal sealed record TypedResource(
    Type Model,
    Func<IKubernetes, string?, string, string?, CancellationToken, Task<object>> Get,
    Func<IKubernetes, string?, ListOptions, CancellationToken, Task<object>> List,
    Func<IKubernetes, object, string?, WriteArguments, CancellationToken, Task<object>> Create,
    Func<IKubernetes, object, string?, string, WriteArguments, CancellationToken, Task<object>> Replace,
    Func<IKubernetes, V1Patch, string?, string, WriteArguments, CancellationToken, Task<object>> Patch,
    Func<IKubernetes, string?, string, V1DeleteOptions?, CancellationToken, Task<object>> Delete)
{
    private static readonly Dictionary<ResourceType, TypedResource> Kinds = new()
    {
        [ResourceType.Pod] = new(typeof(V1Pod),
            (k, ns, name, sub, ct) => sub switch
            {
                null => Box(k.CoreV1.ReadNamespacedPodAsync(name, ns, cancellationToken: ct)),
                "status" => Box(k.CoreV1.ReadNamespacedPodStatusAsync(name, ns, cancellationToken: ct)),
                _ => Unsupported(ResourceType.Pod, sub),
            },
            (k, ns, o, ct) => ns is null
                ? Box(k.CoreV1.ListPodForAllNamespacesAsync(continueParameter: o.Continue, fieldSelector: o.FieldSelector, labelSelector: o.LabelSelector, limit: o.Limit, resourceVersion: o.ResourceVersion, cancellationToken: ct))
                : Box(k.CoreV1.ListNamespacedPodAsync(ns, continueParameter: o.Continue, fieldSelector: o.FieldSelector, labelSelector: o.LabelSelector, limit: o.Limit, resourceVersion: o.ResourceVersion, cancellationToken: ct)),
            (k, body, ns, w, ct) => Box(k.CoreV1.CreateNamespacedPodAsync((V1Pod)body, ns, fieldManager: w.FieldManager, cancellationToken: ct)),
            (k, body, ns, name, w, ct) => w.Subresource switch
            {
                null => Box(k.CoreV1.ReplaceNamespacedPodAsync((V1Pod)body, name, ns, fieldManager: w.FieldManager, cancellationToken: ct)),
                "status" => Box(k.CoreV1.ReplaceNamespacedPodStatusAsync((V1Pod)body, name, ns, fieldManager: w.FieldManager, cancellationToken: ct)),
                _ => Unsupported(ResourceType.Pod, w.Subresource),
            },
            (k, patch, ns, name, w, ct) => w.Subresource switch
            {
                null => Box(k.CoreV1.PatchNamespacedPodAsync(patch, name, ns, fieldManager: w.FieldManager, force: w.Force, cancellationToken: ct)),
                "status" => Box(k.CoreV1.PatchNamespacedPodStatusAsync(patch, name, ns, fieldManager: w.FieldManager, force: w.Force, cancellationToken: ct)),
                _ => Unsupported(ResourceType.Pod, w.Subresource),
            },
            (k, ns, name, o, ct) => Box(k.CoreV1.DeleteNamespacedPodAsync(name, ns, o, cancellationToken: ct))),

        [ResourceType.Secret] = new(typeof(V1Secret),
            (k, ns, name, sub, ct) => sub is null ? Box(k.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: ct)) : Unsupported(ResourceType.Secret, sub),
            (k, ns, o, ct) => ns is null
                ? Box(k.CoreV1.ListSecretForAllNamespacesAsync(continueParameter: o.Continue, fieldSelector: o.FieldSelector, labelSelector: o.LabelSelector, limit: o.Limit, resourceVersion: o.ResourceVersion, cancellationToken: ct))
                : Box(k.CoreV1.ListNamespacedSecretAsync(ns, continueParameter: o.Continue, fieldSelector: o.FieldSelector, labelSelector: o.LabelSelector, limit: o.Limit, resourceVersion: o.ResourceVersion, cancellationToken: ct)),
            (k, body, ns, w, ct) => Box(k.CoreV1.CreateNamespacedSecretAsync((V1Secret)body, ns, fieldManager: w.FieldManager, cancellationToken: ct)),
            (k, body, ns, name, w, ct) => w.Subresource is null
                ? Box(k.CoreV1.ReplaceNamespacedSecretAsync((V1Secret)body, name, ns, fieldManager: w.FieldManager, cancellationToken: ct))
                : Unsupported(ResourceType.Secret, w.Subresource),
            (k, patch, ns, name, w, ct) => w.Subresource is null
                ? Box(k.CoreV1.PatchNamespacedSecretAsync(patch, name, ns, fieldManager: w.FieldManager, force: w.Force, cancellationToken: ct))
                : Unsupported(ResourceType.Secret, w.Subresource),
            (k, ns, name, o, ct) => Box(k.CoreV1.DeleteNamespacedSecretAsync(name, ns, o, cancellationToken: ct))),

        [ResourceType.ConfigMap] = new(typeof(V1ConfigMap),
            (k, ns, name, sub, ct) => sub is null ? Box(k.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: ct)) : Unsupported(ResourceType.ConfigMap, sub),
            (k, ns, o, ct) => ns is null
                ? Box(k.CoreV1.ListConfigMapForAllNamespacesAsync(continueParameter: o.Continue, fieldSelector: o.FieldSelector, labelSelector: o.LabelSelector, limit: o.Limit, resourceVersion: o.ResourceVersion, cancellationToken: ct))
                : Box(k.CoreV1.ListNamespacedConfigMapAsync(ns, continueParameter: o.Continue, fieldSelector: o.FieldSelector, labelSelector: o.LabelSelector, limit: o.Limit, resourceVersion: o.ResourceVersion, cancellationToken: ct)),
            (k, body, ns, w, ct) => Box(k.CoreV1.CreateNamespacedConfigMapAsync((V1ConfigMap)body, ns, fieldManager: w.FieldManager, cancellationToken: ct)),
            (k, body, ns, name, w, ct) => w.Subresource is null
                ? Box(k.CoreV1.ReplaceNamespacedConfigMapAsync((V1ConfigMap)body, name, ns, fieldManager: w.FieldManager, cancellationToken: ct))
                : Unsupported(ResourceType.ConfigMap, w.Subresource),
            (k, patch, ns, name, w, ct) => w.Subresource is null
                ? Box(k.CoreV1.PatchNamespacedConfigMapAsync(patch, name, ns, fieldManager: w.FieldManager, force: w.Force, cancellationToken: ct))
                : Unsupported(ResourceType.ConfigMap, w.Subresource),
            (k, ns, name, o, ct) => Box(k.CoreV1.DeleteNamespacedConfigMapAsync(name, ns, o, cancellationToken: ct))),

        [ResourceType.Namespace] = new(typeof(V1Namespace),
            (k, _, name, sub, ct) => sub is null ? Box(k.CoreV1.ReadNamespaceAsync(name, cancellationToken: ct)) : Unsupported(ResourceType.Namespace, sub),
            (k, _, o, ct) => Box(k.CoreV1.ListNamespaceAsync(continueParameter: o.Continue, fieldSelector: o.FieldSelector, labelSelector: o.LabelSelector, limit: o.Limit, resourceVersion: o.ResourceVersion, cancellationToken: ct)),
            (k, body, _, w, ct) => Box(k.CoreV1.CreateNamespaceAsync((V1Namespace)body, fieldManager: w.FieldManager, cancellationToken: ct)),
            (k, body, _, name, w, ct) => w.Subresource is null
                ? Box(k.CoreV1.ReplaceNamespaceAsync((V1Namespace)body, name, fieldManager: w.FieldManager, cancellationToken: ct))
                : Unsupported(ResourceType.Namespace, w.Subresource),
            (k, patch, _, name, w, ct) => w.Subresource is null
                ? Box(k.CoreV1.PatchNamespaceAsync(patch, name, fieldManager: w.FieldManager, force: w.Force, cancellationToken: ct))
                : Unsupported(ResourceType.Namespace, w.Subresource),
            (k, _, name, o, ct) => Box(k.CoreV1.DeleteNamespaceAsync(name, o, cancellationToken: ct))),

        [ResourceType.Event] = new(typeof(Eventsv1Event),
            (k, ns, name, sub, ct) => sub is null ? Box(k.EventsV1.ReadNamespacedEventAsync(name, ns, cancellationToken: ct)) : Unsupported(ResourceType.Event, sub),
            (k, ns, o, ct) => ns is null
                ? Box(k.EventsV1.ListEventForAllNamespacesAsync(continueParameter: o.Continue, fieldSelector: o.FieldSelector, labelSelector: o.LabelSelector, limit: o.Limit, resourceVersion: o.ResourceVersion, cancellationToken: ct))
                : Box(k.EventsV1.ListNamespacedEventAsync(ns, continueParameter: o.Continue, fieldSelector: o.FieldSelector, labelSelector: o.LabelSelector, limit: o.Limit, resourceVersion: o.ResourceVersion, cancellationToken: ct)),
            (k, body, ns, w, ct) => Box(k.EventsV1.CreateNamespacedEventAsync((Eventsv1Event)body, ns, fieldManager: w.FieldManager, cancellationToken: ct)),
            (k, body, ns, name, w, ct) => w.Subresource is null
                ? Box(k.EventsV1.ReplaceNamespacedEventAsync((Eventsv1Event)body, name, ns, fieldManager: w.FieldManager, cancellationToken: ct))
                : Unsupported(ResourceType.Event, w.Subresource),
            (k, patch, ns, name, w, ct) => w.Subresource is null
                ? Box(k.EventsV1.PatchNamespacedEventAsync(patch, name, ns, fieldManager: w.FieldManager, force: w.Force, cancellationToken: ct))
                : Unsupported(ResourceType.Event, w.Subresource),
            (k, ns, name, o, ct) => Box(k.EventsV1.DeleteNamespacedEventAsync(name, ns, o, cancellationToken: ct))),

        [ResourceType.Lease] = new(typeof(V1Lease),
            (k, ns, name, sub, ct) => sub is null ? Box(k.CoordinationV1.ReadNamespacedLeaseAsync(name, ns, cancellationToken: ct)) : Unsupported(ResourceType.Lease, sub),
            (k, ns, o, ct) => ns is null
                ? Box(k.CoordinationV1.ListLeaseForAllNamespacesAsync(continueParameter: o.Continue, fieldSelector: o.FieldSelector, labelSelector: o.LabelSelector, limit: o.Limit, resourceVersion: o.ResourceVersion, cancellationToken: ct))
                : Box(k.CoordinationV1.ListNamespacedLeaseAsync(ns, continueParameter: o.Continue, fieldSelector: o.FieldSelector, labelSelector: o.LabelSelector, limit: o.Limit, resourceVersion: o.ResourceVersion, cancellationToken: ct)),
            (k, body, ns, w, ct) => Box(k.CoordinationV1.CreateNamespacedLeaseAsync((V1Lease)body, ns, fieldManager: w.FieldManager, cancellationToken: ct)),
            (k, body, ns, name, w, ct) => w.Subresource is null
                ? Box(k.CoordinationV1.ReplaceNamespacedLeaseAsync((V1Lease)body, name, ns, fieldManager: w.FieldManager, cancellationToken: ct))
                : Unsupported(ResourceType.Lease, w.Subresource),
            (k, patch, ns, name, w, ct) => w.Subresource is null
                ? Box(k.CoordinationV1.PatchNamespacedLeaseAsync(patch, name, ns, fieldManager: w.FieldManager, force: w.Force, cancellationToken: ct))
                : Unsupported(ResourceType.Lease, w.Subresource),
            (k, ns, name, o, ct) => Box(k.CoordinationV1.DeleteNamespacedLeaseAsync(name, ns, o, cancellationToken: ct))),

        [ResourceType.PodDisruptionBudget] = new(typeof(V1PodDisruptionBudget),
            (k, ns, name, sub, ct) => sub switch
            {
                null => Box(k.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync(name, ns, cancellationToken: ct)),
                "status" => Box(k.PolicyV1.ReadNamespacedPodDisruptionBudgetStatusAsync(name, ns, cancellationToken: ct)),
                _ => Unsupported(ResourceType.PodDisruptionBudget, sub),
            },
            (k, ns, o, ct) => ns is null
                ? Box(k.PolicyV1.ListPodDisruptionBudgetForAllNamespacesAsync(continueParameter: o.Continue, fieldSelector: o.FieldSelector, labelSelector: o.LabelSelector, limit: o.Limit, resourceVersion: o.ResourceVersion, cancellationToken: ct))
                : Box(k.PolicyV1.ListNamespacedPodDisruptionBudgetAsync(ns, continueParameter: o.Continue, fieldSelector: o.FieldSelector, labelSelector: o.LabelSelector, limit: o.Limit, resourceVersion: o.ResourceVersion, cancellationToken: ct)),
            (k, body, ns, w, ct) => Box(k.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync((V1PodDisruptionBudget)body, ns, fieldManager: w.FieldManager, cancellationToken: ct)),
            (k, body, ns, name, w, ct) => w.Subresource switch
            {
                null => Box(k.PolicyV1.ReplaceNamespacedPodDisruptionBudgetAsync((V1PodDisruptionBudget)body, name, ns, fieldManager: w.FieldManager, cancellationToken: ct)),
                "status" => Box(k.PolicyV1.ReplaceNamespacedPodDisruptionBudgetStatusAsync((V1PodDisruptionBudget)body, name, ns, fieldManager: w.FieldManager, cancellationToken: ct)),
                _ => Unsupported(ResourceType.PodDisruptionBudget, w.Subresource),
            },
            (k, patch, ns, name, w, ct) => w.Subresource switch
            {
                null => Box(k.PolicyV1.PatchNamespacedPodDisruptionBudgetAsync(patch, name, ns, fieldManager: w.FieldManager, force: w.Force, cancellationToken: ct)),
                "status" => Box(k.PolicyV1.PatchNamespacedPodDisruptionBudgetStatusAsync(patch, name, ns, fieldManager: w.FieldManager, force: w.Force, cancellationToken: ct)),
                _ => Unsupported(ResourceType.PodDisruptionBudget, w.Subresource),
            },
            (k, ns, name, o, ct) => Box(k.PolicyV1.DeleteNamespacedPodDisruptionBudgetAsync(name, ns, o, cancellationToken: ct))),
    };

    /// <summary>The typed operations of a built-in kind; null for kinds that go through CustomObjects.</summary>
    public static TypedResource? For(ResourceType type, Type model)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!Kinds.TryGetValue(type, out var kind)) return type.Group.Length == 0 ? throw Missing(type) : null;
        if (!kind.Model.IsAssignableFrom(model) && model != typeof(object))
            throw new ArgumentException($"{type} is {kind.Model.Name} in the typed client, not {model.Name}");
        return kind;
    }

    private static async Task<object> Box<T>(Task<T> call) => (await call.ConfigureAwait(false))!;

    private static Task<object> Unsupported(ResourceType type, string subresource) =>
        throw new NotSupportedException($"{type}/{subresource}: not a subresource this client reaches through the typed client");

    private static NotSupportedException Missing(ResourceType type) =>
        new($"{type}: a core kind without typed operations here; add it to {nameof(TypedResource)}");
}
