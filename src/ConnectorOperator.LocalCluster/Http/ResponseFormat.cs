namespace ConnectorOperator.LocalCluster.Http;

/// <summary>How objects in a response are represented, from the Accept header.</summary>
internal enum ResponseFormat
{
    Json,
    Table,
    PartialObjectMetadata,
}

/// <summary>Content negotiation as the apiserver does it: the first acceptable media type wins; protobuf is never offered.</summary>
internal static class MediaTypes
{
    public const string Json = "application/json";

    /// <summary>Null when nothing in the Accept header is servable (406).</summary>
    public static ResponseFormat? Negotiate(string? accept)
    {
        if (string.IsNullOrWhiteSpace(accept))
        {
            return ResponseFormat.Json;
        }

        foreach (var candidate in accept.Split(','))
        {
            var parts = candidate.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                continue;
            }

            var type = parts[0].ToLowerInvariant();
            if (type is not ("application/json" or "*/*" or "application/*"))
            {
                continue;
            }

            var parameters = parts.Skip(1)
                .Select(p => p.Split('=', 2))
                .Where(p => p.Length == 2)
                .GroupBy(p => p[0].Trim().ToLowerInvariant())
                .ToDictionary(g => g.Key, g => g.First()[1].Trim());
            if (!parameters.TryGetValue("as", out var representation))
            {
                return ResponseFormat.Json;
            }

            parameters.TryGetValue("g", out var group);
            parameters.TryGetValue("v", out var version);
            if (group != "meta.k8s.io" || version != "v1")
            {
                continue;
            }

            switch (representation)
            {
                case "Table":
                    return ResponseFormat.Table;
                case "PartialObjectMetadata" or "PartialObjectMetadataList":
                    return ResponseFormat.PartialObjectMetadata;
            }
        }

        return null;
    }

    public static bool AcceptsJson(string? accept) =>
        string.IsNullOrWhiteSpace(accept) || accept.Split(',').Any(c => c.Split(';')[0].Trim() is "application/json" or "*/*" or "application/*");
}
