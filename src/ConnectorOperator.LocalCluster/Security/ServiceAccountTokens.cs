using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ConnectorOperator.LocalCluster.Security;

/// <summary>
/// Issues and verifies ServiceAccount tokens: JWTs (HS256, a key generated per server) with the claims a bound
/// token carries (<c>sub</c> system:serviceaccount:NS:NAME, <c>kubernetes.io</c> namespace and serviceaccount name/uid).
/// A token is valid while its ServiceAccount exists with the same uid, as bound tokens are.
/// </summary>
internal sealed class ServiceAccountTokens(TimeProvider time)
{
    public const string Issuer = "https://kubernetes.default.svc.cluster.local";

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public string Issue(string @namespace, string name, string uid, TimeSpan lifetime)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var header = new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT" };
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["aud"] = new JsonArray(Issuer),
            ["sub"] = UserInfo.ServiceAccountUser(@namespace, name),
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + (long)lifetime.TotalSeconds,
            ["kubernetes.io"] = new JsonObject
            {
                ["namespace"] = @namespace,
                ["serviceaccount"] = new JsonObject { ["name"] = name, ["uid"] = uid },
            },
        };
        var unsigned = $"{Encode(header.ToJsonString())}.{Encode(claims.ToJsonString())}";
        return $"{unsigned}.{Base64Url(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(unsigned)))}";
    }

    /// <summary>The claimed ServiceAccount (namespace, name, uid) when the signature and lifetime check out; null otherwise.</summary>
    public (string Namespace, string Name, string Uid)? Verify(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }
        var expected = HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"));
        if (!TryDecode(parts[2], out var signature) || !CryptographicOperations.FixedTimeEquals(expected, signature) || !TryDecode(parts[1], out var payload))
        {
            return null;
        }
        if (Parse(payload) is not JsonObject claims
            || claims["exp"] is not JsonValue exp || !exp.TryGetValue<long>(out var expires) || expires < time.GetUtcNow().ToUnixTimeSeconds()
            || claims["kubernetes.io"] is not JsonObject kube
            || JsonNodesText(kube["namespace"]) is not { } ns
            || JsonNodesText(kube["serviceaccount"]?["name"]) is not { } name
            || JsonNodesText(kube["serviceaccount"]?["uid"]) is not { } uid)
        {
            return null;
        }
        return (ns, name, uid);
    }

    private static JsonNode? Parse(byte[] payload)
    {
        try
        {
            return JsonNode.Parse(payload);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? JsonNodesText(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string Encode(string json) => Base64Url(Encoding.UTF8.GetBytes(json));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecode(string text, out byte[] bytes)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        bytes = new byte[padded.Length];
        if (Convert.TryFromBase64String(padded, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }
        return false;
    }
}
