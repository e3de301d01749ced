using ConnectorOperator.Kubernetes.Config;
using ConnectorOperator.Kubernetes.Tests.Support;

namespace ConnectorOperator.Kubernetes.Tests.Config;

public sealed class InClusterTests : IDisposable
{
    private readonly FakeEnvironment _env = new();

    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task Reads_server_CA_namespace_and_token_from_the_service_account()
    {
        _env.MakeInCluster(host: "10.0.0.1", port: "6443", token: "first\n", caPem: TestPki.Cluster.AuthorityPem, ns: "operators\n");

        var connection = ClusterConnectionDiscovery.Discover(env: _env);

        Assert.Equal(new Uri("https://10.0.0.1:6443"), connection.Server);
        Assert.Equal("operators", connection.DefaultNamespace);
        Assert.Equal(TestPki.Cluster.Authority.Thumbprint, Assert.Single(connection.Tls.CertificateAuthorities).Thumbprint);
        Assert.Equal("first", await connection.Credentials!.GetTokenAsync(default));
    }

    [Fact]
    public void IPv6_service_host_is_bracketed()
    {
        _env.MakeInCluster(host: "fd00:10:96::1", port: "443");

        var connection = ClusterConnectionDiscovery.Discover(env: _env);

        Assert.Equal("https://[fd00:10:96::1]/", connection.Server.ToString());
        Assert.Equal(443, connection.Server.Port);
    }

    [Fact]
    public void Non_numeric_port_is_an_error()
    {
        _env.MakeInCluster(port: "https");

        var error = Assert.Throws<KubeconfigException>(() => ClusterConnectionDiscovery.Discover(env: _env));

        Assert.Contains("KUBERNETES_SERVICE_PORT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotated_projected_token_is_picked_up_within_a_minute()
    {
        var time = new ManualTimeProvider();
        _env.MakeInCluster(token: "old-token");
        var credentials = ClusterConnectionDiscovery.Discover(env: _env, time: time).Credentials!;
        Assert.Equal("old-token", await credentials.GetTokenAsync(default));

        _env.Write("serviceaccount/token", "new-token");
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("old-token", await credentials.GetTokenAsync(default));

        time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal("new-token", await credentials.GetTokenAsync(default));
    }

    [Fact]
    public void Missing_namespace_file_falls_back_to_POD_NAMESPACE()
    {
        _env.MakeInCluster(ns: null);
        _env.Variables["POD_NAMESPACE"] = "from-downward-api";

        var connection = ClusterConnectionDiscovery.Discover(env: _env);

        Assert.Equal("from-downward-api", connection.DefaultNamespace);
    }
}
