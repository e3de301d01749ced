using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace ConnectorOperator.LocalCluster.Security;

/// <summary>
/// kube-apiserver's static token file, filled at run time: each token names one user. The server always holds one
/// admin token (kubernetes-admin in system:masters), which its kubeconfig uses unless told otherwise.
/// </summary>
internal sealed class StaticTokens
{
    public static UserInfo Admin { get; } = UserInfo.Create("kubernetes-admin", [UserInfo.Masters]);

    private readonly ConcurrentDictionary<string, UserInfo> _users = new(StringComparer.Ordinal);

    public StaticTokens(IReadOnlyDictionary<string, UserInfo>? configured)
    {
        AdminToken = Add(Admin);
        foreach (var (token, user) in configured ?? new Dictionary<string, UserInfo>())
        {
            _users[token] = UserInfo.Create(user.Name, user.Groups);
        }
    }

    public string AdminToken { get; }

    /// <summary>A new random token for <paramref name="user"/> (system:authenticated is added).</summary>
    public string Add(UserInfo user)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        _users[token] = UserInfo.Create(user.Name, user.Groups);
        return token;
    }

    public UserInfo? Find(string token) => _users.GetValueOrDefault(token);
}
