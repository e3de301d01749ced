using System.Text;
using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Kubelet;

/// <summary>
/// Resolves a container's environment as a kubelet does: <c>envFrom</c> first, then <c>env</c> in order (later
/// wins); <c>$(NAME)</c> expands to a variable defined earlier; Secret and ConfigMap references are read from
/// the API server at container start.
/// </summary>
internal static class ContainerEnvironment
{
    /// <exception cref="ContainerConfigException">A referenced Secret, ConfigMap or key is missing and not optional.</exception>
    public static Dictionary<string, string> Resolve(ApiServerDouble server, JsonObject pod, JsonObject container, string podIp)
    {
        var ns = PodSpecReader.Namespace(pod);
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container["envFrom"]?.AsArray() ?? [])
        {
            var prefix = source?["prefix"]?.GetValue<string>() ?? "";
            if (source?["secretRef"] is JsonObject secretRef) AddAll(env, prefix, Source(server, ns, "Secret", secretRef, decode: true));
            if (source?["configMapRef"] is JsonObject mapRef) AddAll(env, prefix, Source(server, ns, "ConfigMap", mapRef, decode: false));
        }
        foreach (var variable in container["env"]?.AsArray() ?? [])
        {
            var name = variable?["name"]?.GetValue<string>();
            if (name is null) continue;
            if (variable!["valueFrom"] is JsonObject from)
            {
                var value = ValueFrom(server, pod, ns, from, podIp);
                if (value is not null) env[name] = value;
                else env.Remove(name);
            }
            else
            {
                env[name] = Expand(variable["value"]?.GetValue<string>() ?? "", env);
            }
        }
        return env;
    }

    private static void AddAll(Dictionary<string, string> env, string prefix, Dictionary<string, string>? values)
    {
        foreach (var (key, value) in values ?? []) env[prefix + key] = value;
    }

    private static Dictionary<string, string>? Source(ApiServerDouble server, string ns, string kind, JsonObject reference, bool decode)
    {
        var name = reference["name"]?.GetValue<string>() ?? "";
        var obj = server.GetObject("v1", kind, ns, name);
        if (obj is null)
        {
            if (reference["optional"]?.GetValue<bool>() == true) return null;
            throw new ContainerConfigException($"{kind.ToLowerInvariant()} \"{name}\" not found");
        }
        return Data(obj, decode);
    }

    private static string? ValueFrom(ApiServerDouble server, JsonObject pod, string ns, JsonObject from, string podIp)
    {
        if (from["fieldRef"]?["fieldPath"]?.GetValue<string>() is { } path) return Field(pod, path, podIp);
        if (from["secretKeyRef"] is JsonObject secretKey) return KeyOf(server, ns, "Secret", secretKey, decode: true);
        if (from["configMapKeyRef"] is JsonObject mapKey) return KeyOf(server, ns, "ConfigMap", mapKey, decode: false);
        // resourceFieldRef and friends: not part of what connector pods use.
        return null;
    }

    private static string? KeyOf(ApiServerDouble server, string ns, string kind, JsonObject reference, bool decode)
    {
        var name = reference["name"]?.GetValue<string>() ?? "";
        var key = reference["key"]?.GetValue<string>() ?? "";
        var optional = reference["optional"]?.GetValue<bool>() == true;
        var obj = server.GetObject("v1", kind, ns, name);
        if (obj is null)
        {
            return optional ? null : throw new ContainerConfigException($"{kind.ToLowerInvariant()} \"{name}\" not found");
        }
        if (Data(obj, decode).TryGetValue(key, out var value)) return value;
        return optional ? null : throw new ContainerConfigException($"couldn't find key {key} in {kind} {ns}/{name}");
    }

    /// <summary>Secret data is base64; a ConfigMap has text in data and base64 in binaryData.</summary>
    private static Dictionary<string, string> Data(JsonObject obj, bool decode)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, node) in obj["data"] as JsonObject ?? [])
        {
            var text = node?.GetValue<string>() ?? "";
            values[key] = decode ? Encoding.UTF8.GetString(Convert.FromBase64String(text)) : text;
        }
        if (!decode)
        {
            foreach (var (key, node) in obj["binaryData"] as JsonObject ?? []) values[key] = Encoding.UTF8.GetString(Convert.FromBase64String(node?.GetValue<string>() ?? ""));
        }
        return values;
    }

    private static string? Field(JsonObject pod, string path, string podIp) => path switch
    {
        "metadata.name" => PodSpecReader.Name(pod),
        "metadata.namespace" => PodSpecReader.Namespace(pod),
        "metadata.uid" => PodSpecReader.Uid(pod),
        "spec.nodeName" => pod["spec"]?["nodeName"]?.GetValue<string>(),
        "spec.serviceAccountName" => pod["spec"]?["serviceAccountName"]?.GetValue<string>() ?? "default",
        "status.podIP" or "status.podIPs" => podIp,
        "status.hostIP" or "status.hostIPs" => "127.0.0.1",
        _ when path.StartsWith("metadata.labels['", StringComparison.Ordinal) => pod["metadata"]?["labels"]?[path[17..^2]]?.GetValue<string>() ?? "",
        _ when path.StartsWith("metadata.annotations['", StringComparison.Ordinal) => pod["metadata"]?["annotations"]?[path[22..^2]]?.GetValue<string>() ?? "",
        _ => throw new ContainerConfigException($"unsupported fieldPath: {path}"),
    };

    /// <summary><c>$(NAME)</c> becomes an earlier variable's value; unknown references stay as written; <c>$$</c> escapes.</summary>
    internal static string Expand(string value, IReadOnlyDictionary<string, string> defined)
    {
        if (!value.Contains('$', StringComparison.Ordinal)) return value;
        var result = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '$' || i + 1 >= value.Length)
            {
                result.Append(value[i]);
                continue;
            }
            if (value[i + 1] == '$')
            {
                result.Append('$');
                i++;
                continue;
            }
            var close = value[i + 1] == '(' ? value.IndexOf(')', i + 2) : -1;
            if (close < 0)
            {
                result.Append(value[i]);
                continue;
            }
            var name = value[(i + 2)..close];
            result.Append(defined.TryGetValue(name, out var replacement) ? replacement : value[i..(close + 1)]);
            i = close;
        }
        return result.ToString();
    }
}
