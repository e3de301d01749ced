using System.Net;
using System.Net.Http.Headers;
using ConnectorOperator.LocalCluster.Tests.Support;
using k8s;

namespace ConnectorOperator.LocalCluster.Tests;

/// <summary>The kubeconfig the double writes is one real clients load as is: KubernetesClient 21 and kubectl.</summary>
public sealed class KubeconfigClientTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"kubeconfig-{Guid.NewGuid():N}");
    private ApiServerDouble _server = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _server = await ApiServerDouble.StartAsync(new ApiServerOptions { UseTls = true });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task<IReadOnlyList<string>> NamespacesThroughKubernetesClientAsync(string kubeconfig)
    {
        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
        using var client = new Kubernetes(configuration);
        var namespaces = await client.CoreV1.ListNamespaceAsync();
        return [.. namespaces.Items.Select(n => n.Metadata.Name)];
    }

    [Fact]
    public async Task KubernetesClient_loads_the_default_kubeconfig_and_lists_namespaces_over_tls()
    {
        var path = _server.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"));

        Assert.Contains("default", await NamespacesThroughKubernetesClientAsync(path));
        Assert.Contains("certificate-authority-data: ", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KubernetesClient_authenticates_with_a_client_certificate_from_the_kubeconfig()
    {
        using var certificate = _server.IssueClientCertificate("cert-admin", "system:masters");
        var path = _server.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"), certificate);

        Assert.Contains("kube-system", await NamespacesThroughKubernetesClientAsync(path));
        Assert.DoesNotContain("token:", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KubernetesClient_authenticates_with_a_service_account_token_from_the_kubeconfig()
    {
        _server.CreateObject(Objects.ServiceAccount("default", "robot"));
        var path = _server.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"), _server.IssueServiceAccountToken("default", "robot"));

        Assert.Contains("default", await NamespacesThroughKubernetesClientAsync(path));
    }

    [Fact]
    public async Task A_service_account_token_stops_working_when_its_service_account_is_deleted()
    {
        _server.CreateObject(Objects.ServiceAccount("default", "short-lived"));
        var token = _server.IssueServiceAccountToken("default", "short-lived");
        using var client = new RawClient(_server, TrustingHandler());
        client.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await client.GetAsync("/api/v1/namespaces")).Expect(HttpStatusCode.OK);

        _server.DeleteObject("v1", "ServiceAccount", "default", "short-lived");

        var denied = (await client.GetAsync("/api/v1/namespaces")).Expect(HttpStatusCode.Unauthorized).Json;
        Assert.Equal("Unauthorized", denied["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_token_the_server_never_issued_gets_401_even_with_anonymous_access_on()
    {
        using var client = new RawClient(_server, TrustingHandler());
        (await client.GetAsync("/version")).Expect(HttpStatusCode.OK);
        client.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");

        (await client.GetAsync("/version")).Expect(HttpStatusCode.Unauthorized);
    }

    [KubectlFact]
    public async Task Kubectl_accepts_the_default_kubeconfig_over_tls()
    {
        using var kubectl = new Kubectl(_server);

        Assert.Contains("kube-system", await kubectl.SucceedAsync("get", "namespaces", "-o", "name"), StringComparison.Ordinal);
    }

    private SocketsHttpHandler TrustingHandler()
    {
        var ca = _server.CertificateAuthority!;
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is System.Security.Cryptography.X509Certificates.X509Certificate2 served && Security.CertificateAuthority.ChainsTo(served, ca);
        return handler;
    }
}
