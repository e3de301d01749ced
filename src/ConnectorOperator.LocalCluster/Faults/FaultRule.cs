namespace ConnectorOperator.LocalCluster.Faults;

/// <summary>
/// Fails a fraction of the requests it matches with <see cref="StatusCode"/> (500, 429 with Retry-After, 503, ...).
/// Remove it with <see cref="FaultInjector.Remove"/> or give it a <see cref="RemainingCount"/>.
/// </summary>
public sealed class FaultRule
{
    private int _remaining;

    internal FaultRule(double fraction, int statusCode, string? method, string? pathContains, int retryAfterSeconds, int? count)
    {
        Fraction = fraction;
        StatusCode = statusCode;
        Method = method;
        PathContains = pathContains;
        RetryAfterSeconds = retryAfterSeconds;
        _remaining = count ?? -1;
    }

    public double Fraction { get; }

    public int StatusCode { get; }

    /// <summary>Only this HTTP method (null = any).</summary>
    public string? Method { get; }

    /// <summary>Only requests whose path and query contain this text (null = any); "watch=" picks watches.</summary>
    public string? PathContains { get; }

    public int RetryAfterSeconds { get; }

    /// <summary>Failures left before the rule stops firing; -1 = unlimited.</summary>
    public int RemainingCount => Volatile.Read(ref _remaining);

    /// <summary>How many requests this rule has failed.</summary>
    public int Fired { get; private set; }

    internal bool Matches(string method, string path) =>
        (Method is null || string.Equals(Method, method, StringComparison.OrdinalIgnoreCase))
        && (PathContains is null || path.Contains(PathContains, StringComparison.Ordinal));

    internal bool TryFire(Random random)
    {
        if (random.NextDouble() >= Fraction)
        {
            return false;
        }

        while (true)
        {
            var remaining = Volatile.Read(ref _remaining);
            if (remaining == 0)
            {
                return false;
            }

            if (remaining < 0 || Interlocked.CompareExchange(ref _remaining, remaining - 1, remaining) == remaining)
            {
                Fired++;
                return true;
            }
        }
    }
}
