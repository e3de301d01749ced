using Env = ConnectorOperator.Contracts.ConnectorEnvironment;

namespace ConnectorOperator.Connector.Configuration;

/// <summary>
/// How the bot agent user logs in: API key (preferred) or password. ToString never shows a value.
/// </summary>
public sealed record LoginCredentials
{
    public string? Password { get; init; }
    public string? AppKey { get; init; }
    public string? AppSecret { get; init; }
    public string? AccessToken { get; init; }
    public string? AccessTokenSecret { get; init; }

    public bool UsesApiKey => AppKey is not null;

    public IEnumerable<string> SecretValues() =>
        new[] { Password, AppKey, AppSecret, AccessToken, AccessTokenSecret }.Where(v => !string.IsNullOrEmpty(v))!;

    public override string ToString() => UsesApiKey ? "API-key credentials" : "password credentials";

    private static readonly string[] ApiKeyVariables = [Env.AppKey, Env.AppSecret, Env.AccessToken, Env.AccessTokenSecret];

    internal static LoginCredentials? Read(Func<string, string?> get, List<string> problems, List<string> warnings)
    {
        var password = get(Env.Password);
        var apiValues = ApiKeyVariables.Select(get).ToArray();
        var present = ApiKeyVariables.Where((_, i) => apiValues[i] is not null).ToArray();
        var missing = ApiKeyVariables.Where((_, i) => apiValues[i] is null).ToArray();

        if (present.Length == 0 && password is null)
        {
            problems.Add($"no credentials: set {Env.AppKey}, {Env.AppSecret}, {Env.AccessToken} and {Env.AccessTokenSecret} (API-key login, preferred) or {Env.Password}, from a Secret");
            return null;
        }

        if (present.Length > 0 && missing.Length > 0)
        {
            problems.Add(password is null
                ? $"API-key login is incomplete: {string.Join(", ", missing)} missing (set all four)"
                : $"both {Env.Password} and a partial API key are set ({string.Join(", ", missing)} missing): set all four API-key variables or only {Env.Password}");
            return null;
        }

        if (present.Length == ApiKeyVariables.Length)
        {
            if (password is not null)
            {
                warnings.Add($"both API-key credentials and {Env.Password} are set; using the API key");
            }

            return new LoginCredentials
            {
                AppKey = apiValues[0],
                AppSecret = apiValues[1],
                AccessToken = apiValues[2],
                AccessTokenSecret = apiValues[3],
            };
        }

        warnings.Add("logging in with a password; API-key login is preferred (more secure, does not expire)");
        return new LoginCredentials { Password = password };
    }
}
