using System.Net;

namespace ConnectorOperator.Kubernetes.Config;

/// <summary>
/// Adds the Authorization header from an <see cref="ICredentialSource"/> to every request. On 401 the source is
/// invalidated (every time); a request without a body is retried once with the fresh credential (a body may not be
/// replayable, so those requests just return the 401 and the next one gets the new credential).
/// </summary>
public sealed class CredentialHandler(ICredentialSource credentials) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var used = await credentials.GetAuthorizationAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = used;
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        credentials.Invalidate();
        if (request.Content is not null)
        {
            return response;
        }

        var fresh = await credentials.GetAuthorizationAsync(cancellationToken).ConfigureAwait(false);
        if (Equals(fresh, used))
        {
            return response; // Same credential again: a retry could only fail the same way.
        }

        response.Dispose();
        request.Headers.Authorization = fresh;
        var retried = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (retried.StatusCode == HttpStatusCode.Unauthorized)
        {
            credentials.Invalidate();
        }

        return retried;
    }
}
