using System.Collections.Concurrent;

namespace ConnectorOperator.Connector.Cloud;

/// <summary>
/// Removes every known secret (credentials, bearer, csrf, session cookie) from text before it reaches
/// a log line, /status or an error. Exception messages can carry URLs with the bearer in them.
/// </summary>
public sealed class SecretRedactor
{
    private readonly ConcurrentDictionary<string, byte> _secrets = new(StringComparer.Ordinal);

    public SecretRedactor(IEnumerable<string>? secrets = null)
    {
        foreach (var secret in secrets ?? [])
        {
            Add(secret);
        }
    }

    public void Add(string? secret)
    {
        // Very short values would redact ordinary words; credentials are never that short.
        if (!string.IsNullOrEmpty(secret) && secret.Length >= 4)
        {
            _secrets.TryAdd(secret, 0);
        }
    }

    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }

        foreach (var secret in _secrets.Keys.OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return text;
    }
}
