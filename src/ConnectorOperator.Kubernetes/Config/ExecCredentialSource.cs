using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace ConnectorOperator.Kubernetes.Config;

/// <summary>
/// Credentials from a client-go style exec plugin (ExecCredential, client.authentication.k8s.io v1/v1beta1).
/// One run at a time; the result is cached until its expirationTimestamp minus <see cref="ExpiryMargin"/>,
/// or until <see cref="Invalidate"/> after a 401. Errors carry the exit code and stderr, never stdout.
/// </summary>
public sealed class ExecCredentialSource : ICredentialSource, IClientCertificateSource, IDisposable
{
    /// <summary>Refresh this long before the plugin's expiry so a request never carries a token about to lapse.</summary>
    public static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(30);

    private const int MaxStderrLength = 1024;

    private readonly ExecPluginSettings _settings;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _runGate = new(1, 1);
    private volatile IssuedCredential? _current;
    private volatile X509Certificate2? _certificate;

    public ExecCredentialSource(ExecPluginSettings settings, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The most recent certificate the plugin returned; kept across Invalidate for handshakes in flight.</summary>
    public X509Certificate2? CurrentClientCertificate => _certificate;

    public async ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        var current = _current;
        if (IsFresh(current))
        {
            return current!.Token;
        }

        await _runGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            current = _current;
            if (IsFresh(current))
            {
                return current!.Token;
            }

            current = await RunPluginAsync(cancellationToken).ConfigureAwait(false);
            if (current.Certificate is not null)
            {
                _certificate = current.Certificate;
            }

            _current = current;
            return current.Token;
        }
        finally
        {
            _runGate.Release();
        }
    }

    public void Invalidate() => _current = null;

    public void Dispose() => _runGate.Dispose();

    private bool IsFresh(IssuedCredential? credential) =>
        credential is not null && (credential.Expiry is not { } expiry || _time.GetUtcNow() < expiry - ExpiryMargin);

    private string Describe => $"exec plugin \"{_settings.Command}\" for user \"{_settings.UserName}\"";

    private async Task<IssuedCredential> RunPluginAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_settings.Command)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in _settings.Args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in _settings.Environment)
        {
            start.Environment[name] = value;
        }

        start.Environment["KUBERNETES_EXEC_INFO"] = BuildExecInfo();

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            var hint = string.IsNullOrWhiteSpace(_settings.InstallHint) ? "" : $"\n{_settings.InstallHint.Trim()}";
            throw new CredentialException($"{Describe}: cannot start the command: {ex.Message}{hint}", ex);
        }

        // We are never interactive: a plugin waiting for input must see end-of-file, not hang.
        process.StandardInput.Close();

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_settings.Timeout);
        var stdoutTask = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var stderrTask = process.StandardError.ReadToEndAsync(deadline.Token);
        string stdout;
        string stderr;
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            stdout = await stdoutTask.ConfigureAwait(false);
            stderr = await stderrTask.ConfigureAwait(false);
        }
        catch (OperationCanceledException ex)
        {
            KillQuietly(process);
            cancellationToken.ThrowIfCancellationRequested();
            throw new CredentialException($"{Describe}: no answer within {_settings.Timeout.TotalSeconds:0} s; the plugin was stopped", ex);
        }

        if (process.ExitCode != 0)
        {
            throw new CredentialException($"{Describe}: exited with code {process.ExitCode}: {Truncate(stderr)}");
        }

        return ParseOutput(stdout);
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        catch (Win32Exception)
        {
            // Could not be signalled; nothing more we can do.
        }
    }

    private static string Truncate(string stderr)
    {
        var text = stderr.Trim();
        if (text.Length == 0)
        {
            return "(no stderr output)";
        }

        return text.Length <= MaxStderrLength ? text : string.Concat(text.AsSpan(0, MaxStderrLength), "... (truncated)");
    }

    private string BuildExecInfo()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("apiVersion", _settings.ApiVersion);
            json.WriteString("kind", "ExecCredential");
            json.WriteStartObject("spec");
            json.WriteBoolean("interactive", false);
            if (_settings.Cluster is { } cluster)
            {
                json.WriteStartObject("cluster");
                json.WriteString("server", cluster.Server);
                if (cluster.TlsServerName is not null)
                {
                    json.WriteString("tls-server-name", cluster.TlsServerName);
                }

                if (cluster.InsecureSkipTlsVerify)
                {
                    json.WriteBoolean("insecure-skip-tls-verify", true);
                }

                if (cluster.CertificateAuthorityData is not null)
                {
                    json.WriteBase64String("certificate-authority-data", cluster.CertificateAuthorityData);
                }

                if (cluster.ProxyUrl is not null)
                {
                    json.WriteString("proxy-url", cluster.ProxyUrl);
                }

                if (cluster.ConfigJson is not null)
                {
                    json.WritePropertyName("config");
                    json.WriteRawValue(cluster.ConfigJson);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private IssuedCredential ParseOutput(string stdout)
    {
        // Never quote stdout in an error: it is where the secret lives.
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stdout);
        }
        catch (JsonException ex)
        {
            throw new CredentialException($"{Describe}: output is not ExecCredential JSON ({ex.GetType().Name} at byte {ex.BytePositionInLine})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || ReadString(root, "kind") != "ExecCredential")
            {
                throw new CredentialException($"{Describe}: output is not an object of kind ExecCredential");
            }

            var apiVersion = ReadString(root, "apiVersion");
            if (apiVersion != _settings.ApiVersion)
            {
                throw new CredentialException($"{Describe}: returned apiVersion \"{apiVersion}\", expected \"{_settings.ApiVersion}\"");
            }

            if (!root.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Object)
            {
                throw new CredentialException($"{Describe}: ExecCredential has no status");
            }

            var token = ReadString(status, "token");
            var expiry = ReadExpiry(status);
            var certificatePem = ReadString(status, "clientCertificateData");
            var keyPem = ReadString(status, "clientKeyData");
            if ((certificatePem is null) != (keyPem is null))
            {
                throw new CredentialException($"{Describe}: status must set both clientCertificateData and clientKeyData, or neither");
            }

            X509Certificate2? certificate = null;
            if (certificatePem is not null)
            {
                try
                {
                    certificate = PemCertificates.LoadClientCertificate(certificatePem, keyPem!);
                }
                catch (FormatException ex)
                {
                    throw new CredentialException($"{Describe}: status.clientCertificateData/clientKeyData: {ex.Message}");
                }
            }

            if (string.IsNullOrEmpty(token) && certificate is null)
            {
                throw new CredentialException($"{Describe}: status has neither a token nor a client certificate");
            }

            return new IssuedCredential(string.IsNullOrEmpty(token) ? null : token, certificate, expiry);
        }
    }

    private DateTimeOffset? ReadExpiry(JsonElement status)
    {
        var text = ReadString(status, "expirationTimestamp");
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expiry)
            ? expiry
            : throw new CredentialException($"{Describe}: status.expirationTimestamp \"{text}\" is not an RFC 3339 time");
    }

    private static string? ReadString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private sealed record IssuedCredential(string? Token, X509Certificate2? Certificate, DateTimeOffset? Expiry);
}
