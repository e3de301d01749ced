using System.Security.Cryptography.X509Certificates;
using ConnectorOperator.Kubernetes.Config;
using ConnectorOperator.Kubernetes.Tests.Support;

namespace ConnectorOperator.Kubernetes.Tests.Config;

public sealed class KubeconfigMergeTests : IDisposable
{
    private readonly FakeEnvironment _env = new();

    public void Dispose() => _env.Dispose();

    private ClusterConnection DiscoverFrom(string? context, params string[] files)
    {
        _env.Variables["KUBECONFIG"] = string.Join(Path.PathSeparator, files);
        return ClusterConnectionDiscovery.Discover(new ConnectionOptions { Context = context }, _env);
    }

    [Fact]
    public async Task First_file_wins_per_name_and_current_context_comes_from_the_first_that_sets_it()
    {
        var first = _env.Write("a/config", """
            clusters:
            - name: shared
              cluster:
                server: https://first:6443
            contexts:
            - name: dev
              context:
                cluster: shared
                user: alice
                namespace: ns-first
            """);
        var second = _env.Write("b/config", """
            current-context: dev
            clusters:
            - name: shared
              cluster:
                server: https://second:6443
            users:
            - name: alice
              user:
                token: alice-from-second
            contexts:
            - name: dev
              context:
                cluster: shared
                user: bob
                namespace: ns-second
            """);
        var third = _env.Write("c/config", """
            current-context: other
            users:
            - name: alice
              user:
                token: alice-from-third
            """);

        var connection = DiscoverFrom(null, first, second, third);

        Assert.Equal(new Uri("https://first:6443"), connection.Server);
        Assert.Equal("ns-first", connection.DefaultNamespace);
        Assert.Equal("alice-from-second", await connection.Credentials!.GetTokenAsync(default));
        Assert.Equal($"kubeconfig {first}{Path.PathSeparator}{second}{Path.PathSeparator}{third} context dev", connection.Source);
    }

    [Fact]
    public void Relative_paths_resolve_against_the_file_that_defined_them()
    {
        var (certificatePem, keyPem) = TestPki.Cluster.IssueClient("alice", ClientKeyFormat.RsaPkcs1);
        _env.Write("a/pki/ca.pem", TestPki.Cluster.AuthorityPem);
        _env.Write("b/certs/alice.crt", certificatePem);
        _env.Write("b/certs/alice.key", keyPem);
        var first = _env.Write("a/config", """
            current-context: dev
            clusters:
            - name: c
              cluster:
                server: https://c:6443
                certificate-authority: pki/ca.pem
            contexts:
            - name: dev
              context: {cluster: c, user: alice}
            """);
        var second = _env.Write("b/config", """
            users:
            - name: alice
              user:
                client-certificate: certs/alice.crt
                client-key: ./certs/alice.key
            """);

        var connection = DiscoverFrom(null, first, second);

        Assert.Equal(TestPki.Cluster.Authority.Thumbprint, Assert.Single(connection.Tls.CertificateAuthorities).Thumbprint);
        Assert.Equal("alice", connection.Tls.ClientCertificate!.GetNameInfo(X509NameType.SimpleName, false));
        Assert.True(connection.Tls.ClientCertificate.HasPrivateKey);
    }

    [Fact]
    public void Context_option_overrides_current_context()
    {
        var file = _env.Write("config", """
            current-context: dev
            clusters:
            - {name: dev-cluster, cluster: {server: "https://dev:6443"}}
            - {name: prod-cluster, cluster: {server: "https://prod:6443"}}
            contexts:
            - {name: dev, context: {cluster: dev-cluster}}
            - {name: prod, context: {cluster: prod-cluster, namespace: live}}
            """);

        var connection = DiscoverFrom("prod", file);

        Assert.Equal(new Uri("https://prod:6443"), connection.Server);
        Assert.Equal("live", connection.DefaultNamespace);
        Assert.Null(connection.Credentials);
    }

    [Fact]
    public void Certificate_authority_data_may_hold_several_certificates()
    {
        var bundle = TestPki.Cluster.AuthorityPem + "\n" + TestPki.Unrelated.AuthorityPem;
        var file = _env.Write("config", $$"""
            current-context: x
            clusters:
            - name: c
              cluster:
                server: https://c:6443
                certificate-authority-data: {{TestPki.Base64(bundle)}}
                tls-server-name: kube.test
                proxy-url: http://proxy.invalid:3128
            contexts:
            - {name: x, context: {cluster: c} }
            """);

        var connection = DiscoverFrom(null, file);

        Assert.Equal(2, connection.Tls.CertificateAuthorities.Count);
        Assert.Equal("kube.test", connection.Tls.ServerName);
        Assert.False(connection.Tls.InsecureSkipVerify);
    }

    [Fact]
    public void Certificate_authority_data_wins_over_the_file()
    {
        var file = _env.Write("config", $$"""
            current-context: x
            clusters:
            - name: c
              cluster:
                server: https://c:6443
                certificate-authority: does-not-exist.pem
                certificate-authority-data: {{TestPki.Base64(TestPki.Cluster.AuthorityPem)}}
            contexts:
            - {name: x, context: {cluster: c} }
            """);

        var connection = DiscoverFrom(null, file);

        Assert.Equal(TestPki.Cluster.Authority.Thumbprint, Assert.Single(connection.Tls.CertificateAuthorities).Thumbprint);
    }

    [Fact]
    public void Insecure_skip_tls_verify_is_honoured()
    {
        var file = _env.Write("config", """
            current-context: x
            clusters:
            - name: c
              cluster:
                server: https://c:6443
                insecure-skip-tls-verify: true
            contexts:
            - {name: x, context: {cluster: c} }
            """);

        Assert.True(DiscoverFrom(null, file).Tls.InsecureSkipVerify);
    }

    [Fact]
    public async Task Username_and_password_send_basic_auth()
    {
        var file = _env.Write("config", """
            current-context: x
            clusters:
            - {name: c, cluster: {server: "https://c:6443"}}
            users:
            - {name: admin, user: {username: admin, password: "s3cret"}}
            contexts:
            - {name: x, context: {cluster: c, user: admin}}
            """);

        var credentials = DiscoverFrom(null, file).Credentials!;
        var header = await credentials.GetAuthorizationAsync(default);

        Assert.Equal("Basic", header!.Scheme);
        Assert.Equal(TestPki.Base64("admin:s3cret"), header.Parameter);
        Assert.Null(await credentials.GetTokenAsync(default));
    }

    [Fact]
    public async Task Token_file_is_reread_after_rotation()
    {
        var time = new ManualTimeProvider();
        _env.Write("tokens/current", "token-1");
        var file = _env.Write("config", """
            current-context: x
            clusters:
            - {name: c, cluster: {server: "https://c:6443"}}
            users:
            - {name: u, user: {tokenFile: tokens/current}}
            contexts:
            - {name: x, context: {cluster: c, user: u}}
            """);
        _env.Variables["KUBECONFIG"] = file;
        var credentials = ClusterConnectionDiscovery.Discover(env: _env, time: time).Credentials!;

        Assert.Equal("token-1", await credentials.GetTokenAsync(default));
        _env.Write("tokens/current", "token-2");
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal("token-1", await credentials.GetTokenAsync(default));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("token-2", await credentials.GetTokenAsync(default));

        _env.Write("tokens/current", "token-3");
        credentials.Invalidate();
        Assert.Equal("token-3", await credentials.GetTokenAsync(default));
    }
}
