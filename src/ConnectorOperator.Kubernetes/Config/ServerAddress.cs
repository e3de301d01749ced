namespace ConnectorOperator.Kubernetes.Config;

internal static class ServerAddress
{
    /// <summary>Parses an API server address; a bare host:port means https, as in kubectl. Null when unusable.</summary>
    public static Uri? Parse(string server)
    {
        var text = server.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "https://" + text;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : null;
    }
}
