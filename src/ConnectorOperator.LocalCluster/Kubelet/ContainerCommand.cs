namespace ConnectorOperator.LocalCluster.Kubelet;

/// <summary>
/// The local program that stands in for an image: its entrypoint and arguments (a pod's <c>args</c> are appended).
/// <paramref name="AddressVariable"/> names the variable that gets the pod's own address, for programs that
/// would bind all interfaces inside a real pod network namespace and must bind only their address here.
/// </summary>
public sealed record ContainerCommand(string FileName, IReadOnlyList<string> Arguments, string? WorkingDirectory = null, string? AddressVariable = null);
