using System.Net;
using ConnectorOperator.Kubernetes.Client;
using ConnectorOperator.Kubernetes.Config;
using ConnectorOperator.Kubernetes.Models;
using k8s.Models;

namespace ConnectorOperator.Kubernetes.Tests.Config;

/// <summary>Real HTTPS against Kestrel: kubeconfig → discovery (KubernetesClientConfiguration) → the operator's client → request.</summary>
public sealed class TlsConnectionTests : IDisposable
{
    private readonly FakeEnvironment _env = new();

    public void Dispose() => _env.Dispose();

    private ClusterConnection Discover(Uri server, string clusterFields, string userFields)
    {
        _env.Variables["KUBECONFIG"] = _env.Write("config", $$"""
            current-context: x
            clusters:
            - name: c
              cluster:
                server: {{server}}
            {{clusterFields}}
            users:
            - name: u
              user:
                username-unused: ""
            {{userFields}}
            contexts:
            - name: x
              context: {cluster: c, user: u}
            """);
        return ClusterConnectionDiscovery.Discover(env: _env);
    }

    private static string CaData(TestPki pki) => $"    certificate-authority-data: {TestPki.Base64(pki.AuthorityPem)}";

    private static string ClientCertificate(string user, ClientKeyFormat format)
    {
        var (certificatePem, keyPem) = TestPki.Cluster.IssueClient(user, format);
        return $"""
                client-certificate-data: {TestPki.Base64(certificatePem)}
                client-key-data: {TestPki.Base64(keyPem)}
            """;
    }

    /// <summary>A namespace list through the operator's client (KubernetesClient's pipeline); the answer's status code.</summary>
    private static async Task<HttpStatusCode> GetAsync(ClusterConnection connection)
    {
        using var client = KubernetesClientFactory.Create(connection, new KubernetesClientOptions { MaxReadRetries = 0, RequestTimeout = TimeSpan.FromSeconds(20) });
        try
        {
            await client.ListAsync<V1Namespace>(ResourceType.Namespace);
            return HttpStatusCode.OK;
        }
        catch (KubernetesApiException e)
        {
            return e.StatusCode;
        }
    }

    [Theory]
    [InlineData(ClientKeyFormat.RsaPkcs1)]
    [InlineData(ClientKeyFormat.EcSec1)]
    [InlineData(ClientKeyFormat.RsaPkcs8)]
    [InlineData(ClientKeyFormat.EcPkcs8)]
    public async Task Client_certificate_from_kubeconfig_data_authenticates(ClientKeyFormat format)
    {
        await using var server = await TlsTestServer.StartAsync(TestPki.Cluster.LocalhostServer, requireClientCertificateFrom: TestPki.Cluster);
        var connection = Discover(server.Address, CaData(TestPki.Cluster), ClientCertificate("alice", format));

        var status = await GetAsync(connection);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("alice", Assert.Single(server.Requests).ClientSubject);
    }

    [Fact]
    public async Task Server_signed_by_another_CA_is_rejected()
    {
        await using var server = await TlsTestServer.StartAsync(TestPki.Cluster.LocalhostServer, requireClientCertificateFrom: null);
        var connection = Discover(server.Address, CaData(TestPki.Unrelated), "    token: t");

        await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync(connection));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Without_a_configured_CA_the_system_store_decides()
    {
        await using var server = await TlsTestServer.StartAsync(TestPki.Cluster.LocalhostServer, requireClientCertificateFrom: null);
        var connection = Discover(server.Address, "", "    token: t");

        await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync(connection));
    }

    [Fact]
    public async Task Insecure_skip_tls_verify_accepts_any_server_certificate()
    {
        await using var server = await TlsTestServer.StartAsync(TestPki.Unrelated.LocalhostServer, requireClientCertificateFrom: TestPki.Cluster);
        var connection = Discover(server.Address, "    insecure-skip-tls-verify: true", ClientCertificate("bob", ClientKeyFormat.EcSec1));

        var status = await GetAsync(connection);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Certificate_for_another_name_is_rejected()
    {
        await using var server = await TlsTestServer.StartAsync(TestPki.Cluster.NamedServer, requireClientCertificateFrom: null);
        var connection = Discover(server.Address, CaData(TestPki.Cluster), "    token: t");

        await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync(connection));
    }

    [Fact]
    public async Task Tls_server_name_matching_the_certificate_is_accepted()
    {
        await using var server = await TlsTestServer.StartAsync(TestPki.Cluster.NamedServer, requireClientCertificateFrom: null);
        var connection = Discover(server.Address, CaData(TestPki.Cluster) + "\n    tls-server-name: kube.test", "    token: t");

        var status = await GetAsync(connection);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Tls_server_name_not_matching_the_certificate_is_rejected()
    {
        await using var server = await TlsTestServer.StartAsync(TestPki.Cluster.NamedServer, requireClientCertificateFrom: null);
        var connection = Discover(server.Address, CaData(TestPki.Cluster) + "\n    tls-server-name: other.test", "    token: t");

        await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync(connection));
    }

    [Fact]
    public async Task Bearer_token_reaches_the_server()
    {
        await using var server = await TlsTestServer.StartAsync(TestPki.Cluster.LocalhostServer, requireClientCertificateFrom: null);
        var connection = Discover(server.Address, CaData(TestPki.Cluster), "    token: abc.def");

        var status = await GetAsync(connection);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Bearer abc.def", Assert.Single(server.Requests).Authorization);
    }

    [Fact]
    public async Task Exec_plugin_token_reaches_the_server()
    {
        await using var server = await TlsTestServer.StartAsync(TestPki.Cluster.LocalhostServer, requireClientCertificateFrom: null);
        using var plugin = new ExecPluginFixture(expiry: "2999-01-01T00:00:00Z");
        var connection = plugin.DiscoverFor(server.Address);

        var status = await GetAsync(connection);

        Assert.Equal(HttpStatusCode.OK, status);
        // The library runs the plugin once while loading the kubeconfig and again for the first request's token.
        Assert.StartsWith("Bearer exec-token-", Assert.Single(server.Requests).Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_certificate_from_an_exec_plugin_is_used_in_the_handshake()
    {
        await using var server = await TlsTestServer.StartAsync(TestPki.Cluster.LocalhostServer, requireClientCertificateFrom: TestPki.Cluster);
        using var plugin = new ExecPluginFixture();
        var (certificatePem, keyPem) = TestPki.Cluster.IssueClient("exec-robot", ClientKeyFormat.EcPkcs8);
        plugin.SetResponse(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["apiVersion"] = "client.authentication.k8s.io/v1",
            ["kind"] = "ExecCredential",
            ["status"] = new Dictionary<string, string> { ["clientCertificateData"] = certificatePem, ["clientKeyData"] = keyPem },
        }));
        var connection = plugin.DiscoverFor(server.Address);

        var status = await GetAsync(connection);

        Assert.Equal(HttpStatusCode.OK, status);
        var seen = Assert.Single(server.Requests);
        Assert.Equal("exec-robot", seen.ClientSubject);
        Assert.Null(seen.Authorization);
    }
}
