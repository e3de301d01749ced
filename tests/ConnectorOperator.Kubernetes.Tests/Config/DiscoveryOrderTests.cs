using ConnectorOperator.Kubernetes.Config;

namespace ConnectorOperator.Kubernetes.Tests.Config;

public sealed class DiscoveryOrderTests : IDisposable
{
    private readonly FakeEnvironment _env = new();

    public void Dispose() => _env.Dispose();

    private static string SingleCluster(string server, string token) => $"""
        apiVersion: v1
        kind: Config
        current-context: main
        clusters:
        - name: c
          cluster:
            server: {server}
        users:
        - name: u
          user:
            token: {token}
        contexts:
        - name: main
          context:
            cluster: c
            user: u
        """;

    /// <summary>In-cluster files, a KUBECONFIG file and ~/.kube/config all present at once.</summary>
    private void ArrangeEverySource()
    {
        _env.MakeInCluster(host: "10.96.0.1", port: "443");
        _env.Variables["KUBECONFIG"] = _env.Write("env/config", SingleCluster("https://from-env:6443", "env-token"));
        _env.Write("home/.kube/config", SingleCluster("https://from-home:6443", "home-token"));
    }

    [Fact]
    public void Explicit_server_beats_every_other_source()
    {
        ArrangeEverySource();

        var connection = ClusterConnectionDiscovery.Discover(
            new ConnectionOptions { Server = "https://explicit:7443", Token = "explicit-token", InsecureSkipTlsVerify = true }, _env);

        Assert.Equal(new Uri("https://explicit:7443"), connection.Server);
        Assert.Equal("explicit", connection.Source);
        Assert.True(connection.Configuration.SkipTlsVerify);
        Assert.Equal("explicit-token", connection.Configuration.AccessToken);
    }

    [Fact]
    public void Explicit_kubeconfig_path_beats_in_cluster_and_KUBECONFIG()
    {
        ArrangeEverySource();
        var path = _env.Write("explicit/config", SingleCluster("https://from-option:6443", "t"));

        var connection = ClusterConnectionDiscovery.Discover(new ConnectionOptions { KubeconfigPath = path }, _env);

        Assert.Equal(new Uri("https://from-option:6443"), connection.Server);
    }

    [Fact]
    public void In_cluster_beats_KUBECONFIG_and_home_config()
    {
        ArrangeEverySource();

        var connection = ClusterConnectionDiscovery.Discover(env: _env);

        Assert.Equal("in-cluster", connection.Source);
        Assert.Equal(new Uri("https://10.96.0.1:443"), connection.Server);
        Assert.Equal("operators", connection.DefaultNamespace);
    }

    [Fact]
    public void KUBECONFIG_beats_home_config()
    {
        ArrangeEverySource();
        _env.Variables.Remove("KUBERNETES_SERVICE_HOST");

        var connection = ClusterConnectionDiscovery.Discover(env: _env);

        Assert.Equal(new Uri("https://from-env:6443"), connection.Server);
    }

    [Fact]
    public void Home_config_is_the_last_resort()
    {
        _env.Write("home/.kube/config", SingleCluster("https://from-home:6443", "home-token"));

        var connection = ClusterConnectionDiscovery.Discover(env: _env);

        Assert.Equal(new Uri("https://from-home:6443"), connection.Server);
        Assert.Contains(Path.Combine(_env.HomeDirectory!, ".kube", "config"), connection.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void In_cluster_variables_without_a_token_file_fall_through_to_kubeconfig()
    {
        _env.Variables["KUBERNETES_SERVICE_HOST"] = "10.96.0.1";
        _env.Variables["KUBERNETES_SERVICE_PORT"] = "443";
        _env.Write("home/.kube/config", SingleCluster("https://from-home:6443", "t"));

        var connection = ClusterConnectionDiscovery.Discover(env: _env);

        Assert.Equal(new Uri("https://from-home:6443"), connection.Server);
    }

    [Fact]
    public void Context_option_skips_in_cluster_detection()
    {
        ArrangeEverySource();

        var connection = ClusterConnectionDiscovery.Discover(new ConnectionOptions { Context = "main" }, _env);

        Assert.Equal(new Uri("https://from-env:6443"), connection.Server);
    }

    [Fact]
    public void Nothing_found_names_every_way_to_configure()
    {
        var error = Assert.Throws<KubeconfigException>(() => ClusterConnectionDiscovery.Discover(env: _env));

        Assert.StartsWith("no cluster configuration found: set KUBECONFIG", error.Message, StringComparison.Ordinal);
        Assert.Contains("Kubernetes:Server", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KUBECONFIG_naming_only_missing_files_is_an_error()
    {
        _env.Variables["KUBECONFIG"] = Path.Combine(_env.Root, "nope1") + Path.PathSeparator + Path.Combine(_env.Root, "nope2");
        _env.Write("home/.kube/config", SingleCluster("https://from-home:6443", "t"));

        var error = Assert.Throws<KubeconfigException>(() => ClusterConnectionDiscovery.Discover(env: _env));

        Assert.Contains("nope1", error.Message, StringComparison.Ordinal);
        Assert.Contains("none of these files exists", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_explicit_kubeconfig_path_is_an_error()
    {
        var path = Path.Combine(_env.Root, "missing");

        var error = Assert.Throws<KubeconfigException>(
            () => ClusterConnectionDiscovery.Discover(new ConnectionOptions { KubeconfigPath = path }, _env));

        Assert.Equal($"kubeconfig {path}: file not found (Kubernetes:KubeconfigPath)", error.Message);
    }

    [Fact]
    public void Explicit_server_without_scheme_means_https_and_reads_the_CA_file()
    {
        var caFile = _env.Write("ca.pem", TestPki.Cluster.AuthorityPem);

        var connection = ClusterConnectionDiscovery.Discover(
            new ConnectionOptions { Server = "apiserver.local:6443", CertificateAuthorityFile = caFile }, _env);

        Assert.Equal(new Uri("https://apiserver.local:6443"), connection.Server);
        Assert.Equal(TestPki.Cluster.Authority.Thumbprint, Assert.Single(connection.Configuration.SslCaCerts!).Thumbprint);
        Assert.Null(connection.Configuration.AccessToken);
    }

    [Fact]
    public void KUBECONFIG_files_merge_first_file_wins_per_name()
    {
        var first = _env.Write("a/config", """
            current-context: main
            clusters:
            - name: c
              cluster: {server: "https://first:6443"}
            users:
            - name: u
              user: {token: first-token}
            """);
        var second = _env.Write("b/config", """
            current-context: other
            clusters:
            - name: c
              cluster: {server: "https://second:6443"}
            users:
            - name: u
              user: {token: second-token}
            contexts:
            - name: main
              context: {cluster: c, user: u, namespace: team}
            """);
        _env.Variables["KUBECONFIG"] = first + Path.PathSeparator + second;

        var connection = ClusterConnectionDiscovery.Discover(env: _env);

        Assert.Equal(new Uri("https://first:6443"), connection.Server);
        Assert.Equal("first-token", connection.Configuration.AccessToken);
        Assert.Equal("team", connection.DefaultNamespace);
        Assert.EndsWith("context main", connection.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_context_is_an_error_naming_the_source()
    {
        _env.Write("home/.kube/config", SingleCluster("https://from-home:6443", "t"));

        var error = Assert.Throws<KubeconfigException>(() => ClusterConnectionDiscovery.Discover(new ConnectionOptions { Context = "nope" }, _env));

        Assert.Contains(Path.Combine(_env.HomeDirectory!, ".kube", "config"), error.Message, StringComparison.Ordinal);
        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
    }
}
