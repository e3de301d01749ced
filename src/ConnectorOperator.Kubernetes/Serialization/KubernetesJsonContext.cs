using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ConnectorOperator.Kubernetes.Models;
using k8s;
using k8s.Models;

namespace ConnectorOperator.Kubernetes.Serialization;

/// <summary>Source-generated (trim-safe) serialization for the few types KubernetesClient's own context lacks.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PartialObjectMetadata))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class KubernetesJsonContext : JsonSerializerContext;

/// <summary>
/// Serializer options shared by the client: KubernetesClient's source-generated context (every built-in kind,
/// with its converters), ours, then any the caller adds (custom resources). Times go through <see cref="ApiTimeConverter"/>.
/// </summary>
public static class KubernetesJson
{
    public static JsonSerializerOptions Default { get; } = CreateOptions();

    public static JsonSerializerOptions CreateOptions(params IJsonTypeInfoResolver[] extra)
    {
        var options = new JsonSerializerOptions(k8s.SourceGenerationContext.Default.Options)
        {
            TypeInfoResolver = JsonTypeInfoResolver.Combine([k8s.SourceGenerationContext.Default, KubernetesJsonContext.Default, .. extra]),
        };
        // Ahead of the library's own: MicroTime needs all six fractional digits (see ApiTimeConverter).
        options.Converters.Insert(0, new ApiTimeConverter());
        options.MakeReadOnly();
        return options;
    }

    public static JsonTypeInfo<T> TypeInfo<T>(this JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
    }

    /// <summary>The list envelope of any kind the options know, without declaring each list type.</summary>
    public static JsonTypeInfo<KubernetesList<T>> ListTypeInfo<T>(this JsonSerializerOptions options)
        where T : IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(options);
        return ListInfo<T>.For(options);
    }

    private static class ListInfo<T>
        where T : IKubernetesObject
    {
        private static (JsonSerializerOptions Options, JsonTypeInfo<KubernetesList<T>> Info)? _last;

        public static JsonTypeInfo<KubernetesList<T>> For(JsonSerializerOptions options)
        {
            if (_last is { } last && ReferenceEquals(last.Options, options)) return last.Info;
            var info = JsonMetadataServices.CreateValueInfo<KubernetesList<T>>(options, new KubernetesListConverter<T>());
            _last = (options, info);
            return info;
        }
    }
}
