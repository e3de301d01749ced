namespace ConnectorOperator.Connector.Cloud;

/// <summary>
/// Removes every known secret (credentials, bearer, csrf, session cookie) from text before it reaches
/// a log line, /status or an error. Exception messages can carry URLs with the bearer in them.
/// </summary>
public sealed class SecretRedactor
{
    private readonly Lock _gate = new();

    // Longest first, so a secret that contains another is replaced whole. Redact runs per bot reply and
    // Add only at start-up and login: Add publishes a new array, Redact reads whichever one is current.
    private string[] _secrets = [];

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
        if (string.IsNullOrEmpty(secret) || secret.Length < 4)
        {
            return;
        }

        lock (_gate)
        {
            var current = _secrets;
            if (Array.IndexOf(current, secret) >= 0)
            {
                return;
            }

            Volatile.Write(ref _secrets, [.. current.Append(secret).OrderByDescending(s => s.Length)]);
        }
    }

    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }

        foreach (var secret in Volatile.Read(ref _secrets))
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return text;
    }
}
