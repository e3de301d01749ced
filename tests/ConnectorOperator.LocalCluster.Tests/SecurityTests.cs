using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using ConnectorOperator.LocalCluster.Security;
using ConnectorOperator.LocalCluster.Tests.Support;

namespace ConnectorOperator.LocalCluster.Tests;

public sealed class SecurityTests
{
    private static SocketsHttpHandler TrustOnly(X509Certificate2 ca, X509Certificate2? clientCertificate = null)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is X509Certificate2 served && CertificateAuthority.ChainsTo(served, ca);
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }

        return handler;
    }

    [Fact]
    public async Task Tls_serving_certificate_chains_to_the_generated_ca()
    {
        await using var server = await ApiServerDouble.StartAsync(new ApiServerOptions { UseTls = true });
        Assert.Equal("https", server.BaseAddress.Scheme);
        using var client = new RawClient(server, TrustOnly(server.CertificateAuthority!));
        (await client.GetAsync("/api/v1/namespaces")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Tls_connection_negotiates_http2()
    {
        await using var server = await ApiServerDouble.StartAsync(new ApiServerOptions { UseTls = true });
        using var http = new HttpClient(TrustOnly(server.CertificateAuthority!)) { BaseAddress = server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/version") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpVersion.Version20, response.Version);
    }

    [Fact]
    public async Task Untrusting_client_fails_the_handshake()
    {
        await using var server = await ApiServerDouble.StartAsync(new ApiServerOptions { UseTls = true });
        using var other = CertificateAuthority.Create("someone-else");
        using var client = new RawClient(server, TrustOnly(other.Certificate));
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/version"));
    }

    [Fact]
    public async Task Bearer_token_is_required_when_configured()
    {
        await using var server = await ApiServerDouble.StartAsync(new ApiServerOptions { RequiredBearerToken = "s3cret" });
        using var client = new RawClient(server);
        var denied = (await client.GetAsync("/api/v1/namespaces")).Expect(HttpStatusCode.Unauthorized).Json;
        Assert.Equal("Unauthorized", denied["reason"]!.GetValue<string>());
        Assert.Equal(401, denied["code"]!.GetValue<int>());

        client.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
        (await client.GetAsync("/api/v1/namespaces")).Expect(HttpStatusCode.Unauthorized);
        client.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret");
        (await client.GetAsync("/api/v1/namespaces")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Client_certificate_from_the_ca_authenticates()
    {
        await using var server = await ApiServerDouble.StartAsync(new ApiServerOptions { RequireClientCertificate = true, RequiredBearerToken = "unused" });
        using var certificate = server.IssueClientCertificate("tester", "system:masters");
        using var client = new RawClient(server, TrustOnly(server.CertificateAuthority!, certificate));
        (await client.GetAsync("/api/v1/namespaces")).Expect(HttpStatusCode.OK);

        using var anonymous = new RawClient(server, TrustOnly(server.CertificateAuthority!));
        await Assert.ThrowsAnyAsync<Exception>(() => anonymous.GetAsync("/api/v1/namespaces"));
    }

    [Fact]
    public async Task Kubeconfig_names_server_ca_and_token()
    {
        await using var server = await ApiServerDouble.StartAsync(new ApiServerOptions { UseTls = true, RequiredBearerToken = "tok" });
        var path = Path.Combine(Path.GetTempPath(), $"kubeconfig-{Guid.NewGuid():N}");
        try
        {
            server.WriteKubeconfig(path);
            var text = await File.ReadAllTextAsync(path);
            Assert.Contains($"server: https://127.0.0.1:{server.BaseAddress.Port}", text, StringComparison.Ordinal);
            Assert.Contains("certificate-authority-data: ", text, StringComparison.Ordinal);
            Assert.Contains("token: \"tok\"", text, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Watch_streams_over_http2()
    {
        await using var server = await ApiServerDouble.StartAsync(new ApiServerOptions { UseTls = true });
        using var http = new HttpClient(TrustOnly(server.CertificateAuthority!))
        {
            BaseAddress = server.BaseAddress,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        await using var watch = await WatchReader.OpenAsync(http, $"/api/v1/namespaces/default/configmaps?watch=1&resourceVersion={server.CurrentResourceVersion}");
        server.CreateObject(Objects.ConfigMap("over-h2"));
        var e = (await watch.NextAsync())!;
        Assert.Equal("over-h2", e["object"]!["metadata"]!["name"]!.GetValue<string>());
    }
}
