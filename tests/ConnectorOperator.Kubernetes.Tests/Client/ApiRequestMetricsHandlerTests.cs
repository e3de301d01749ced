using System.Net;
using ConnectorOperator.Kubernetes.Client;

namespace ConnectorOperator.Kubernetes.Tests.Client;

public sealed class ApiRequestMetricsHandlerTests
{
    [Theory]
    [InlineData("GET", "https://k/api/v1/namespaces/bots/pods", "list", "pods")]
    [InlineData("GET", "https://k/api/v1/namespaces/bots/pods?watch=true&resourceVersion=5", "watch", "pods")]
    [InlineData("GET", "https://k/api/v1/namespaces/bots/pods/sales-0", "get", "pods")]
    [InlineData("POST", "https://k/api/v1/namespaces/bots/pods", "create", "pods")]
    [InlineData("PUT", "https://k/apis/connectoroperator.dev/v1alpha1/namespaces/bots/agentconnectors/sales/status", "update", "agentconnectors/status")]
    [InlineData("PATCH", "https://k/apis/policy/v1/namespaces/bots/poddisruptionbudgets/sales", "patch", "poddisruptionbudgets")]
    [InlineData("DELETE", "https://k/api/v1/namespaces/bots/pods/sales-1", "delete", "pods")]
    [InlineData("DELETE", "https://k/api/v1/namespaces/bots/pods", "deletecollection", "pods")]
    [InlineData("GET", "https://k/apis/connectoroperator.dev/v1alpha1/agentconnectors?limit=500", "list", "agentconnectors")]
    [InlineData("GET", "https://k/api/v1/namespaces/bots", "get", "namespaces")]
    [InlineData("GET", "https://k/k8s/clusters/c1/apis/coordination.k8s.io/v1/namespaces/ops/leases/leader", "get", "leases")]
    [InlineData("GET", "https://k/apis", "list", "discovery")]
    public void Verb_and_resource_come_from_the_path_never_a_name_or_namespace(string method, string url, string verb, string resource)
    {
        Assert.Equal((verb, resource), ApiRequestMetricsHandler.Describe(new HttpMethod(method), new Uri(url)));
    }

    [Fact]
    public async Task Each_answer_and_each_transport_failure_is_reported_once_with_its_code()
    {
        var heard = new List<(string Verb, string Resource, string Code)>();
        var metrics = new Recorder(heard);
        var answers = new Queue<Func<HttpResponseMessage>>([
            () => new HttpResponseMessage(HttpStatusCode.Conflict),
            () => throw new HttpRequestException("connection refused"),
        ]);
        using var client = new HttpClient(new ApiRequestMetricsHandler(metrics) { InnerHandler = new Answering(answers) });

        using (await client.PostAsync(new Uri("https://k/api/v1/namespaces/bots/pods"), null)) { }
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri("https://k/api/v1/namespaces/bots/pods/x")));

        Assert.Equal([("create", "pods", "409"), ("get", "pods", "error")], heard);
    }

    private sealed class Recorder(List<(string, string, string)> heard) : IApiRequestMetrics
    {
        public void Observed(string verb, string resource, string code, TimeSpan latency)
        {
            Assert.True(latency >= TimeSpan.Zero);
            heard.Add((verb, resource, code));
        }
    }

    private sealed class Answering(Queue<Func<HttpResponseMessage>> answers) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answers.Dequeue()());
    }
}
