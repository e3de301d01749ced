namespace ConnectorOperator.Kubernetes.Client;

/// <summary>
/// The last handler in the pipeline when a caller brings its own transport (a test's scripted server or fault
/// injector): requests go there instead of the library's socket handler.
/// </summary>
internal sealed class TransportHandler(HttpMessageHandler transport, bool disposeTransport) : DelegatingHandler
{
    private readonly HttpMessageInvoker _transport = new(transport, disposeTransport);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _transport.SendAsync(request, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _transport.Dispose();
        base.Dispose(disposing);
    }
}
