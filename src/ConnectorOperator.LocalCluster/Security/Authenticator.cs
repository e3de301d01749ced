using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ConnectorOperator.LocalCluster.Primitives;

namespace ConnectorOperator.LocalCluster.Security;

/// <summary>
/// kube-apiserver's authenticator chain, in its order: a client certificate (already verified against the client CA
/// during the TLS handshake; CN is the user, each O a group), then a bearer token (static tokens, then ServiceAccount
/// JWTs), then anonymous. A bearer token that matches nothing is a 401 even when anonymous access is on.
/// </summary>
internal sealed class Authenticator(bool anonymousAuth, string? requiredBearerToken, StaticTokens tokens, ServiceAccountTokens serviceAccountTokens, Func<string, string, string?> serviceAccountUid)
{
    public UserInfo Authenticate(X509Certificate2? clientCertificate, string authorization)
    {
        if (clientCertificate is not null)
        {
            return FromCertificate(clientCertificate);
        }

        const string prefix = "Bearer ";
        if (authorization.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization[prefix.Length..].Trim();
            return FromToken(token) ?? throw Unauthorized();
        }

        if (requiredBearerToken is not null || !anonymousAuth)
        {
            throw Unauthorized();
        }
        return UserInfo.Anonymous;
    }

    private UserInfo? FromToken(string token)
    {
        if (requiredBearerToken is { } required
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(required)))
        {
            return StaticTokens.Admin;
        }
        if (tokens.Find(token) is { } user)
        {
            return user;
        }
        if (serviceAccountTokens.Verify(token) is { } claimed && serviceAccountUid(claimed.Namespace, claimed.Name) == claimed.Uid)
        {
            return UserInfo.ServiceAccount(claimed.Namespace, claimed.Name, claimed.Uid);
        }
        return null;
    }

    private static UserInfo FromCertificate(X509Certificate2 certificate)
    {
        string? name = null;
        var groups = new List<string>();
        foreach (var part in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            switch (part.GetSingleElementType().FriendlyName)
            {
                case "CN":
                    name = part.GetSingleElementValue();
                    break;
                case "O" when part.GetSingleElementValue() is { } group:
                    groups.Add(group);
                    break;
            }
        }
        return name is null ? throw Unauthorized() : UserInfo.Create(name, groups);
    }

    private static ApiStatusException Unauthorized() => new(401, "Unauthorized", "Unauthorized");
}
