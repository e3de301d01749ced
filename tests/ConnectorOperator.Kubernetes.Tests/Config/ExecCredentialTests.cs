using System.Text;
using System.Text.Json;
using ConnectorOperator.Kubernetes.Config;

namespace ConnectorOperator.Kubernetes.Tests.Config;

public sealed class ExecCredentialTests : IDisposable
{
    private readonly ExecPluginFixture _plugin = new();

    public void Dispose() => _plugin.Dispose();

    [Fact]
    public async Task Token_is_cached_until_thirty_seconds_before_expiry()
    {
        var credentials = _plugin.Discover().Credentials!;

        Assert.Equal("exec-token-1", await credentials.GetTokenAsync(default));
        _plugin.Time.Advance(TimeSpan.FromMinutes(9) + TimeSpan.FromSeconds(29));
        Assert.Equal("exec-token-1", await credentials.GetTokenAsync(default));
        Assert.Equal(1, _plugin.Runs);

        _plugin.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("exec-token-2", await credentials.GetTokenAsync(default));
        Assert.Equal(2, _plugin.Runs);
    }

    [Fact]
    public async Task Invalidate_forces_a_new_run()
    {
        var credentials = _plugin.Discover().Credentials!;
        Assert.Equal("exec-token-1", await credentials.GetTokenAsync(default));

        credentials.Invalidate();

        Assert.Equal("exec-token-2", await credentials.GetTokenAsync(default));
        Assert.Equal("exec-token-2", await credentials.GetTokenAsync(default));
        Assert.Equal(2, _plugin.Runs);
    }

    [Fact]
    public async Task Concurrent_callers_share_one_run()
    {
        var credentials = _plugin.Discover().Credentials!;

        var tokens = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => credentials.GetTokenAsync(default).AsTask()));

        Assert.All(tokens, token => Assert.Equal("exec-token-1", token));
        Assert.Equal(1, _plugin.Runs);
    }

    [Fact]
    public async Task Arguments_are_passed_one_by_one_without_a_shell()
    {
        await _plugin.Discover().Credentials!.GetTokenAsync(default);

        Assert.Equal(["--mode", "arg with spaces", "$HOME"], _plugin.ReadState("args").TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Configured_environment_variables_reach_the_plugin()
    {
        await _plugin.Discover().Credentials!.GetTokenAsync(default);

        Assert.Equal("hello world", _plugin.ReadState("greeting"));
    }

    [Fact]
    public async Task Plugin_receives_non_interactive_exec_info_with_cluster()
    {
        await _plugin.Discover().Credentials!.GetTokenAsync(default);

        using var info = JsonDocument.Parse(_plugin.ReadState("exec-info"));
        var root = info.RootElement;
        Assert.Equal("client.authentication.k8s.io/v1", root.GetProperty("apiVersion").GetString());
        Assert.Equal("ExecCredential", root.GetProperty("kind").GetString());
        var spec = root.GetProperty("spec");
        Assert.False(spec.GetProperty("interactive").GetBoolean());
        var cluster = spec.GetProperty("cluster");
        Assert.Equal("https://c.example:6443", cluster.GetProperty("server").GetString());
        Assert.Equal("kube.test", cluster.GetProperty("tls-server-name").GetString());
        var caPem = Encoding.UTF8.GetString(cluster.GetProperty("certificate-authority-data").GetBytesFromBase64());
        Assert.Equal(TestPki.Cluster.AuthorityPem, caPem);
    }

    [Fact]
    public async Task Exec_extension_of_the_cluster_is_sent_as_config()
    {
        using var plugin = new ExecPluginFixture(clusterExtra: """
                extensions:
                - name: client.authentication.k8s.io/exec
                  extension:
                    audience: kube
                    retries: 3
                    verbose: true
                    scopes: [read, "write"]
                - name: something-else
                  extension: {ignored: true}
            """);

        await plugin.Discover().Credentials!.GetTokenAsync(default);

        using var info = JsonDocument.Parse(plugin.ReadState("exec-info"));
        var config = info.RootElement.GetProperty("spec").GetProperty("cluster").GetProperty("config");
        Assert.Equal("""{"audience":"kube","retries":3,"verbose":true,"scopes":["read","write"]}""", config.GetRawText());
    }

    [Fact]
    public async Task V1beta1_plugins_are_supported()
    {
        using var plugin = new ExecPluginFixture(apiVersion: ExecPluginSettings.ApiVersionV1Beta1);

        Assert.Equal("exec-token-1", await plugin.Discover().Credentials!.GetTokenAsync(default));

        using var info = JsonDocument.Parse(plugin.ReadState("exec-info"));
        Assert.Equal(ExecPluginSettings.ApiVersionV1Beta1, info.RootElement.GetProperty("apiVersion").GetString());
    }

    [Fact]
    public async Task Failing_plugin_reports_exit_code_and_stderr_but_never_the_token()
    {
        _plugin.Environment.WriteExecutable("kube/bin/plugin.sh", """
            #!/bin/bash
            echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"leaked-secret-token"}}'
            echo "identity provider unreachable" >&2
            exit 3
            """);
        var credentials = _plugin.Discover().Credentials!;

        var error = await Assert.ThrowsAsync<CredentialException>(() => credentials.GetTokenAsync(default).AsTask());

        Assert.Contains("user \"robot\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("exited with code 3: identity provider unreachable", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("leaked-secret-token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Long_stderr_is_truncated()
    {
        _plugin.Environment.WriteExecutable("kube/bin/plugin.sh", """
            #!/bin/bash
            head -c 5000 /dev/zero | tr '\0' 'e' >&2
            exit 1
            """);
        var credentials = _plugin.Discover().Credentials!;

        var error = await Assert.ThrowsAsync<CredentialException>(() => credentials.GetTokenAsync(default).AsTask());

        Assert.EndsWith("... (truncated)", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 1500, error.Message.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Malformed_output_is_reported_without_quoting_it()
    {
        _plugin.SetResponse("token=half-written-secret");
        var credentials = _plugin.Discover().Credentials!;

        var error = await Assert.ThrowsAsync<CredentialException>(() => credentials.GetTokenAsync(default).AsTask());

        Assert.Contains("output is not ExecCredential JSON", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("half-written-secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mismatched_api_version_is_rejected()
    {
        _plugin.SetResponse("""{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"t"}}""");
        var credentials = _plugin.Discover().Credentials!;

        var error = await Assert.ThrowsAsync<CredentialException>(() => credentials.GetTokenAsync(default).AsTask());

        Assert.Contains("returned apiVersion \"client.authentication.k8s.io/v1beta1\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_without_expiry_is_cached_until_invalidated()
    {
        _plugin.SetResponse("""{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"forever"}}""");
        var credentials = _plugin.Discover().Credentials!;

        Assert.Equal("forever", await credentials.GetTokenAsync(default));
        _plugin.Time.Advance(TimeSpan.FromDays(30));
        Assert.Equal("forever", await credentials.GetTokenAsync(default));
        Assert.Equal(1, _plugin.Runs);
    }

    [Fact]
    public async Task Client_certificate_from_the_plugin_becomes_current()
    {
        var (certificatePem, keyPem) = TestPki.Cluster.IssueClient("robot", ClientKeyFormat.EcSec1);
        _plugin.SetResponse(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["apiVersion"] = "client.authentication.k8s.io/v1",
            ["kind"] = "ExecCredential",
            ["status"] = new Dictionary<string, string> { ["clientCertificateData"] = certificatePem, ["clientKeyData"] = keyPem },
        }));
        var credentials = _plugin.Discover().Credentials!;

        Assert.Null(await credentials.GetTokenAsync(default));

        var certificate = ((IClientCertificateSource)credentials).CurrentClientCertificate;
        Assert.NotNull(certificate);
        Assert.True(certificate.HasPrivateKey);
        Assert.Equal("robot", certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false));
    }

    [Fact]
    public async Task Missing_command_shows_the_install_hint()
    {
        File.Delete(Path.Combine(_plugin.Environment.Root, "kube", "bin", "plugin.sh"));
        var credentials = _plugin.Discover().Credentials!;

        var error = await Assert.ThrowsAsync<CredentialException>(() => credentials.GetTokenAsync(default).AsTask());

        Assert.Contains("cannot start the command", error.Message, StringComparison.Ordinal);
        Assert.Contains("install it with: brew install robot-login", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plugin_is_stopped_after_its_timeout()
    {
        var settings = new ExecPluginSettings
        {
            ApiVersion = ExecPluginSettings.ApiVersionV1,
            Command = "/bin/bash",
            Args = ["-c", "sleep 30"],
            UserName = "slow",
            Timeout = TimeSpan.FromMilliseconds(300),
        };
        using var credentials = new ExecCredentialSource(settings);

        var error = await Assert.ThrowsAsync<CredentialException>(() => credentials.GetTokenAsync(default).AsTask());

        Assert.Contains("no answer within", error.Message, StringComparison.Ordinal);
    }
}
