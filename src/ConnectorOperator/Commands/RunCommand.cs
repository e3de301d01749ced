using System.CommandLine;
using ConnectorOperator.Hosting;
using Microsoft.Extensions.Hosting;

namespace ConnectorOperator.Commands;

/// <summary>
/// <c>run</c>: the operator itself. Extra arguments are configuration overrides in the usual form
/// (<c>--Operator:DefaultImage=...</c>, <c>--Host:LeaderElection=false</c>).
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "Run the operator against the cluster found like kubectl finds one (in-cluster, KUBECONFIG, ~/.kube/config).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                await using var app = OperatorApp.Build([.. parseResult.UnmatchedTokens]);
                await app.StartAsync(cancellationToken);
                await app.WaitForShutdownAsync(cancellationToken);
                return 0;
            }
            catch (Kubernetes.Config.KubeconfigException e)
            {
                await Console.Error.WriteLineAsync($"connector-operator: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}
