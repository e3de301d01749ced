namespace ConnectorOperator.Kubernetes.Config;

/// <summary>
/// A bearer token kept in a file that something else rotates (projected service account tokens, kubeconfig
/// tokenFile). Re-read every <see cref="RefreshInterval"/> and after <see cref="Invalidate"/>; if a re-read
/// fails the last good token is kept, because the rotating writer may be mid-swap.
/// </summary>
public sealed class FileTokenSource : ICredentialSource
{
    public static readonly TimeSpan DefaultRefreshInterval = TimeSpan.FromMinutes(1);

    private readonly IEnvironment _environment;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private string? _token;
    private DateTimeOffset _readAt;

    public FileTokenSource(string path, IEnvironment? environment = null, TimeProvider? time = null, TimeSpan? refreshInterval = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        _environment = environment ?? SystemEnvironment.Instance;
        _time = time ?? TimeProvider.System;
        RefreshInterval = refreshInterval ?? DefaultRefreshInterval;
    }

    public string Path { get; }

    public TimeSpan RefreshInterval { get; }

    public ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_token is not null && now - _readAt < RefreshInterval)
            {
                return ValueTask.FromResult<string?>(_token);
            }

            try
            {
                _token = _environment.ReadAllText(Path).Trim();
                _readAt = now;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                if (_token is null)
                {
                    throw new CredentialException($"token file \"{Path}\" could not be read: {ex.Message}", ex);
                }
            }

            return ValueTask.FromResult<string?>(_token);
        }
    }

    public void Invalidate()
    {
        lock (_gate)
        {
            _readAt = DateTimeOffset.MinValue;
        }
    }
}
