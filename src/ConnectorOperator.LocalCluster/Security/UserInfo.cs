namespace ConnectorOperator.LocalCluster.Security;

/// <summary>Who sent a request, as authentication.k8s.io/v1 UserInfo: a name, groups and, for ServiceAccounts, a uid.</summary>
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups, string? Uid = null)
{
    public const string Authenticated = "system:authenticated";
    public const string Unauthenticated = "system:unauthenticated";
    public const string Masters = "system:masters";

    /// <summary>Requests without credentials, when anonymous access is on.</summary>
    public static UserInfo Anonymous { get; } = new("system:anonymous", [Unauthenticated]);

    /// <summary>The double's own writes (tests, kubelets, garbage collection): the loopback identity kube-apiserver uses for itself.</summary>
    public static UserInfo Apiserver { get; } = new("system:apiserver", [Masters, Authenticated]);

    /// <summary>A user from a token file or a client certificate: the given groups plus system:authenticated.</summary>
    public static UserInfo Create(string name, IEnumerable<string> groups) =>
        new(name, [.. groups.Where(g => g != Authenticated).Distinct(StringComparer.Ordinal), Authenticated]);

    /// <summary>A ServiceAccount as its token authenticates it: system:serviceaccount:NS:NAME in system:serviceaccounts and system:serviceaccounts:NS.</summary>
    public static UserInfo ServiceAccount(string @namespace, string name, string? uid) =>
        new(ServiceAccountUser(@namespace, name), ["system:serviceaccounts", $"system:serviceaccounts:{@namespace}", Authenticated], uid);

    public static string ServiceAccountUser(string @namespace, string name) => $"system:serviceaccount:{@namespace}:{name}";
}
