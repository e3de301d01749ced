namespace ConnectorOperator.LocalCluster.Tests.Support;

/// <summary>A fresh API server double per test, with a raw HTTP client to it.</summary>
public abstract class ApiServerTest : IAsyncLifetime
{
    protected ApiServerDouble Server { get; private set; } = null!;

    protected RawClient Client { get; private set; } = null!;

    /// <summary>Options for this class's server; null for the defaults.</summary>
    protected virtual ApiServerOptions? Options => null;

    /// <summary>Objects every test of the class starts from.</summary>
    protected virtual Task SeedAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        Server = await ApiServerDouble.StartAsync(Options);
        Client = new RawClient(Server);
        await SeedAsync();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
