using ConnectorOperator.Kubernetes.Config;

namespace ConnectorOperator.Kubernetes.Tests.Config;

public sealed class KubeconfigErrorTests : IDisposable
{
    private readonly FakeEnvironment _env = new();

    public void Dispose() => _env.Dispose();

    private KubeconfigException Fails(string? context, params string[] files)
    {
        _env.Variables["KUBECONFIG"] = string.Join(Path.PathSeparator, files);
        return Assert.Throws<KubeconfigException>(
            () => ClusterConnectionDiscovery.Discover(new ConnectionOptions { Context = context }, _env));
    }

    private string WriteUser(string userYaml) => _env.Write("x/config", $$"""
        current-context: x
        clusters:
        - {name: c, cluster: {server: "https://c:6443"} }
        users:
        - name: alice
          user:
        {{userYaml}}
        contexts:
        - {name: x, context: {cluster: c, user: alice} }
        """);

    [Fact]
    public void Unknown_context_names_all_files()
    {
        var a = _env.Write("a", "current-context: dev");
        var b = _env.Write("b", "contexts: [{name: other, context: {cluster: c}}]");

        var error = Fails(null, a, b);

        Assert.Equal($"context \"dev\" not found in {a}{Path.PathSeparator}{b}", error.Message);
    }

    [Fact]
    public void Context_without_current_context_or_option_is_an_error()
    {
        var a = _env.Write("a", "clusters: []");

        Assert.Equal($"kubeconfig {a}: no current-context is set and no context was given", Fails(null, a).Message);
    }

    [Fact]
    public void Missing_cluster_names_the_context_file_and_field()
    {
        var a = _env.Write("a", "contexts: [{name: dev, context: {cluster: gone, user: u}}]");

        Assert.Equal($"kubeconfig {a}: context \"dev\": cluster \"gone\" not found in {a}", Fails("dev", a).Message);
    }

    [Fact]
    public void Missing_user_names_the_context_file_and_field()
    {
        var a = _env.Write("a", """
            clusters: [{name: c, cluster: {server: "https://c"}}]
            contexts: [{name: dev, context: {cluster: c, user: ghost}}]
            """);

        Assert.Equal($"kubeconfig {a}: context \"dev\": user \"ghost\" not found in {a}", Fails("dev", a).Message);
    }

    [Fact]
    public void Cluster_without_server_is_an_error()
    {
        var a = _env.Write("a", """
            clusters: [{name: c, cluster: {insecure-skip-tls-verify: true}}]
            contexts: [{name: dev, context: {cluster: c}}]
            """);

        Assert.Equal($"kubeconfig {a}: cluster \"c\": field \"server\" is not set", Fails("dev", a).Message);
    }

    [Fact]
    public void Missing_client_key_file_names_the_user_and_path()
    {
        var (certificatePem, _) = TestPki.Cluster.IssueClient("alice", ClientKeyFormat.EcSec1);
        _env.Write("x/alice.crt", certificatePem);
        var file = WriteUser("""
                client-certificate: alice.crt
                client-key: key.pem
            """);

        var error = Fails(null, file);

        var keyPath = Path.Combine(_env.Root, "x", "key.pem");
        Assert.Equal($"kubeconfig {file}: user \"alice\": client-key file \"{keyPath}\" not found", error.Message);
    }

    [Fact]
    public void Client_certificate_without_key_is_an_error()
    {
        var (certificatePem, _) = TestPki.Cluster.IssueClient("alice", ClientKeyFormat.EcSec1);
        var file = WriteUser($"""
                client-certificate-data: {TestPki.Base64(certificatePem)}
            """);

        Assert.Contains("client-certificate is set but client-key is not", Fails(null, file).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_base64_names_the_field()
    {
        var file = WriteUser("""
                client-certificate-data: "not base64!"
                client-key-data: "also not"
            """);

        Assert.Equal($"kubeconfig {file}: user \"alice\": field \"client-certificate-data\" is not valid base64", Fails(null, file).Message);
    }

    [Fact]
    public void Auth_provider_is_rejected_with_a_pointer_to_exec_plugins()
    {
        var file = WriteUser("""
                auth-provider:
                  name: gcp
                  config: {access-token: secret-access-token}
            """);

        var error = Fails(null, file);

        Assert.Contains("auth-provider \"gcp\" is not supported; use an exec credential plugin", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-access-token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_authentication_methods_are_rejected()
    {
        var file = WriteUser("""
                token: secret-token
                username: admin
                password: secret-password
            """);

        var error = Fails(null, file);

        Assert.Contains("more than one authentication method", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Interactive_exec_plugin_is_rejected()
    {
        var file = WriteUser("""
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: kubelogin
                  interactiveMode: Always
            """);

        Assert.Equal(
            $"kubeconfig {file}: user \"alice\": exec: interactiveMode Always needs a terminal, but this client never runs plugins interactively",
            Fails(null, file).Message);
    }

    [Fact]
    public void Removed_exec_api_version_is_rejected()
    {
        var file = WriteUser("""
                exec:
                  apiVersion: client.authentication.k8s.io/v1alpha1
                  command: old-plugin
            """);

        Assert.Contains("apiVersion \"client.authentication.k8s.io/v1alpha1\" is not supported", Fails(null, file).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_token_file_names_the_path()
    {
        var file = WriteUser("""
                tokenFile: /nonexistent/token
            """);

        Assert.Equal($"kubeconfig {file}: user \"alice\": tokenFile \"/nonexistent/token\" not found", Fails(null, file).Message);
    }

    [Fact]
    public void Invalid_yaml_names_the_file()
    {
        var file = _env.Write("broken", "clusters: [unclosed");

        Assert.StartsWith($"kubeconfig {file}: invalid YAML", Fails(null, file).Message, StringComparison.Ordinal);
    }
}
