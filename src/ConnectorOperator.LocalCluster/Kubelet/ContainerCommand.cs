namespace ConnectorOperator.LocalCluster.Kubelet;

/// <summary>
/// The local program that stands in for an image: its entrypoint and arguments (a pod's <c>args</c> are appended).
/// <paramref name="AddressVariable"/> names the variable that gets the pod's own address, for programs that
/// would bind all interfaces inside a real pod network namespace and must bind only their address here.
/// <paramref name="ParentPipeVariable"/> names the variable set to <c>true</c> for programs that read their standard
/// input (a pipe from this process, never written to) to end of file and stop then: so they stop when this process
/// dies, however it dies, instead of running on as orphans.
/// </summary>
public sealed record ContainerCommand(string FileName, IReadOnlyList<string> Arguments, string? WorkingDirectory = null, string? AddressVariable = null,
    string? ParentPipeVariable = null);
