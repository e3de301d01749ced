using ConnectorOperator.Kubernetes.Config;

namespace ConnectorOperator.Kubernetes.Tests.Config;

/// <summary>
/// A bash exec plugin in a temp folder. It counts its runs, records its arguments, KUBERNETES_EXEC_INFO and
/// the GREETING variable, and prints either state/response.json or an ExecCredential with token
/// "exec-token-&lt;run number&gt;" expiring at $EXPIRY.
/// </summary>
internal sealed class ExecPluginFixture : IDisposable
{
    private const string Script = """
        #!/bin/bash
        set -e
        n=$(( $(cat "$STATE_DIR/count" 2>/dev/null || echo 0) + 1 ))
        echo "$n" > "$STATE_DIR/count"
        printf '%s\n' "$@" > "$STATE_DIR/args"
        printf '%s' "$KUBERNETES_EXEC_INFO" > "$STATE_DIR/exec-info"
        printf '%s' "$GREETING" > "$STATE_DIR/greeting"
        if [ -f "$STATE_DIR/response.json" ]; then
          cat "$STATE_DIR/response.json"
        else
          printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"exec-token-%s","expirationTimestamp":"%s"}}' "$API_VERSION" "$n" "$EXPIRY"
        fi
        """;

    public ExecPluginFixture(
        string expiry = "2030-01-01T00:10:00Z",
        string apiVersion = "client.authentication.k8s.io/v1",
        string clusterExtra = "")
    {
        Environment.WriteExecutable("kube/bin/plugin.sh", Script);
        StateDirectory = Path.Combine(Environment.Root, "state");
        Directory.CreateDirectory(StateDirectory);
        KubeconfigPath = Environment.Write("kube/config", $$"""
            current-context: x
            clusters:
            - name: c
              cluster:
                server: https://c.example:6443
                certificate-authority-data: {{TestPki.Base64(TestPki.Cluster.AuthorityPem)}}
                tls-server-name: kube.test
            {{clusterExtra}}
            users:
            - name: robot
              user:
                exec:
                  apiVersion: {{apiVersion}}
                  command: {{Path.Combine(Environment.Root, "kube/bin/plugin.sh")}}
                  args: ["--mode", "arg with spaces", "$HOME"]
                  env:
                  - {name: STATE_DIR, value: "{{StateDirectory}}"}
                  - {name: EXPIRY, value: "{{expiry}}"}
                  - {name: GREETING, value: "hello world"}
                  - {name: API_VERSION, value: "{{apiVersion}}"}
                  provideClusterInfo: true
                  interactiveMode: IfAvailable
                  installHint: "install it with: brew install robot-login"
            contexts:
            - name: x
              context: {cluster: c, user: robot}
            """);
        Environment.Variables["KUBECONFIG"] = KubeconfigPath;
    }

    public FakeEnvironment Environment { get; } = new();

    public string StateDirectory { get; }

    public string KubeconfigPath { get; }

    public int Runs => File.Exists(Path.Combine(StateDirectory, "count"))
        ? int.Parse(File.ReadAllText(Path.Combine(StateDirectory, "count")).Trim(), System.Globalization.CultureInfo.InvariantCulture)
        : 0;

    public string ReadState(string name) => File.ReadAllText(Path.Combine(StateDirectory, name));

    public void SetResponse(string json) => File.WriteAllText(Path.Combine(StateDirectory, "response.json"), json);

    public ClusterConnection Discover() => ClusterConnectionDiscovery.Discover(env: Environment);

    /// <summary>The kubeconfig pointed at a local test server (without its tls-server-name), discovered.</summary>
    public ClusterConnection DiscoverFor(Uri server)
    {
        var text = File.ReadAllText(KubeconfigPath).Replace("https://c.example:6443", server.ToString().TrimEnd('/'), StringComparison.Ordinal)
            .Replace("tls-server-name: kube.test", "", StringComparison.Ordinal);
        File.WriteAllText(KubeconfigPath, text);
        return Discover();
    }

    public void Dispose() => Environment.Dispose();
}
