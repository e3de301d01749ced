using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ConnectorOperator.Simulator.Options;

namespace ConnectorOperator.Simulator.Cloud;

/// <summary>The token endpoint's state: which tokens it issued and until when; the sample bot can insist on one.</summary>
public sealed class ApigeeTokenIssuer(Func<ApigeeOptions?> options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _issued = new(StringComparer.Ordinal);
    private readonly List<IReadOnlyDictionary<string, string>> _requests = [];

    /// <summary>Tokens issued so far.</summary>
    public int TokensIssued
    {
        get
        {
            lock (_gate)
            {
                return _issued.Count;
            }
        }
    }

    /// <summary>Every token request's form fields, the client secret masked.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public bool IsValid(string? token)
    {
        lock (_gate)
        {
            return token is not null && _issued.TryGetValue(token, out var until) && time.GetUtcNow() < until;
        }
    }

    /// <summary>Answers one token request: 200 with a token, 400 for a wrong grant or audience, 401 for wrong client credentials.</summary>
    internal (int Status, JsonObject Body) Issue(IReadOnlyDictionary<string, string> form)
    {
        var settings = options();
        lock (_gate)
        {
            _requests.Add(form.ToDictionary(p => p.Key, p => p.Key == "client_secret" ? "***" : p.Value, StringComparer.Ordinal));
            if (settings is null)
            {
                return (404, Error("not_found", "no token endpoint is configured"));
            }

            if (form.GetValueOrDefault("grant_type") != settings.GrantType)
            {
                return (400, Error("unsupported_grant_type", $"grant_type must be {settings.GrantType}"));
            }

            if (settings.Audience is { } audience && form.GetValueOrDefault("audience") != audience)
            {
                return (400, Error("invalid_request", "unknown audience"));
            }

            if (form.GetValueOrDefault("client_id") != settings.ClientId || form.GetValueOrDefault("client_secret") != settings.ClientSecret)
            {
                return (401, Error("invalid_client", "client authentication failed"));
            }

            var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            _issued[token] = time.GetUtcNow() + settings.TokenLifetime;
            return (200, new JsonObject
            {
                ["access_token"] = token,
                ["token_type"] = "Bearer",
                ["expires_in"] = ((long)settings.TokenLifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            });
        }
    }

    private static JsonObject Error(string code, string description) => new() { ["error"] = code, ["error_description"] = description };
}
