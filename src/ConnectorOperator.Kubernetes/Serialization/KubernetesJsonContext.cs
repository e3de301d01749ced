using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ConnectorOperator.Kubernetes.Models;

namespace ConnectorOperator.Kubernetes.Serialization;

/// <summary>Source-generated (trim-safe) serialization for every built-in kind we speak.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(TimeConverter)])]
[JsonSerializable(typeof(Pod))]
[JsonSerializable(typeof(KubernetesList<Pod>))]
[JsonSerializable(typeof(Secret))]
[JsonSerializable(typeof(KubernetesList<Secret>))]
[JsonSerializable(typeof(ConfigMap))]
[JsonSerializable(typeof(KubernetesList<ConfigMap>))]
[JsonSerializable(typeof(Namespace))]
[JsonSerializable(typeof(KubernetesList<Namespace>))]
[JsonSerializable(typeof(Event))]
[JsonSerializable(typeof(KubernetesList<Event>))]
[JsonSerializable(typeof(Lease))]
[JsonSerializable(typeof(KubernetesList<Lease>))]
[JsonSerializable(typeof(PodDisruptionBudget))]
[JsonSerializable(typeof(KubernetesList<PodDisruptionBudget>))]
[JsonSerializable(typeof(CustomResourceDefinition))]
[JsonSerializable(typeof(KubernetesList<CustomResourceDefinition>))]
[JsonSerializable(typeof(PartialObjectMetadata))]
[JsonSerializable(typeof(KubernetesList<PartialObjectMetadata>))]
[JsonSerializable(typeof(Scale))]
[JsonSerializable(typeof(Status))]
[JsonSerializable(typeof(Condition))]
[JsonSerializable(typeof(List<Condition>))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(Dictionary<string, string>))]
public sealed partial class KubernetesJsonContext : JsonSerializerContext;

/// <summary>Serializer options shared by the client: our context first, then any the caller adds (custom resources).</summary>
public static class KubernetesJson
{
    public static JsonSerializerOptions Default { get; } = CreateOptions();

    public static JsonSerializerOptions CreateOptions(params IJsonTypeInfoResolver[] extra)
    {
        var options = new JsonSerializerOptions(KubernetesJsonContext.Default.Options)
        {
            TypeInfoResolver = JsonTypeInfoResolver.Combine([KubernetesJsonContext.Default, .. extra]),
        };
        options.MakeReadOnly();
        return options;
    }

    public static JsonTypeInfo<T> TypeInfo<T>(this JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
    }
}
