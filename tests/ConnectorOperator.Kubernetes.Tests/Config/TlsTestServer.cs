using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace ConnectorOperator.Kubernetes.Tests.Config;

/// <summary>What the server saw of one request.</summary>
internal sealed record SeenRequest(string Method, string? Authorization, string? ClientSubject, string Host);

/// <summary>
/// A Kestrel HTTPS server on 127.0.0.1 (random port) standing in for an API server. It can demand a client
/// certificate issued by the test CA, records each request and answers with <see cref="Respond"/>.
/// </summary>
internal sealed class TlsTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TlsTestServer(WebApplication app)
    {
        _app = app;
    }

    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    /// <summary>Status code for a request; 200 by default.</summary>
    public Func<SeenRequest, int> Respond { get; set; } = _ => 200;

    public Uri Address { get; private set; } = null!;

    public static async Task<TlsTestServer> StartAsync(X509Certificate2 serverCertificate, TestPki? requireClientCertificateFrom)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(https =>
        {
            https.ServerCertificate = serverCertificate;
            if (requireClientCertificateFrom is { } pki)
            {
                https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                https.ClientCertificateValidation = (certificate, _, _) => pki.Issued(certificate);
            }
        })));

        var app = builder.Build();
        var server = new TlsTestServer(app);
        app.Run(async context =>
        {
            var seen = new SeenRequest(
                context.Request.Method,
                context.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null,
                context.Connection.ClientCertificate?.GetNameInfo(X509NameType.SimpleName, false),
                context.Request.Host.Value ?? "");
            server.Requests.Enqueue(seen);
            context.Response.StatusCode = server.Respond(seen);
            await context.Response.WriteAsync("{}");
        });

        await app.StartAsync();
        var port = new Uri(app.Urls.First()).Port;
        server.Address = new Uri($"https://127.0.0.1:{port}");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
