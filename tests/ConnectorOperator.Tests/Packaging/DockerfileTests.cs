using System.Text.RegularExpressions;
using ConnectorOperator.Tests.Support;

namespace ConnectorOperator.Tests.Packaging;

/// <summary>The Dockerfile builds what `make publish` builds, into non-root images with the right entry points and ports.</summary>
public sealed partial class DockerfileTests
{
    private static readonly string Dockerfile = RepositoryFiles.Read("Dockerfile");

    /// <summary>The one definition of the release publish flags (the Dockerfile and the trimmed-publish test use it).</summary>
    internal static string MakefilePublishFlags()
    {
        var match = PublishFlagsLine().Match(RepositoryFiles.Read("Makefile"));
        Assert.True(match.Success, "the Makefile defines no PUBLISH_FLAGS");
        return match.Groups[1].Value.Trim();
    }

    /// <summary>The lines of one build stage, from its FROM to the next.</summary>
    private static string Stage(string name)
    {
        var stages = Regex.Split(Dockerfile, @"(?=^FROM )", RegexOptions.Multiline);
        return Assert.Single(stages, s => Regex.IsMatch(s, $@"^FROM \S+ AS {name}\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase));
    }

    [Fact]
    public void The_makefile_publishes_trimmed_self_contained_ready_to_run_release_builds()
    {
        var flags = MakefilePublishFlags().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (var flag in new[] { "-c", "Release", "-r", "linux-x64", "--self-contained", "-p:PublishTrimmed=true", "-p:PublishReadyToRun=true" })
            Assert.Contains(flag, flags);
        Assert.DoesNotContain(flags, f => f.Contains("PublishAot", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_dockerfile_publishes_with_the_makefile_flags_on_the_dotnet_10_sdk()
    {
        // Declared before the first FROM, and imported by a bare ARG in each stage that uses it: an ARG does not
        // pass from a stage to the stages built FROM it.
        var preamble = Dockerfile[..Dockerfile.IndexOf("\nFROM ", StringComparison.Ordinal)];
        Assert.Contains($"\nARG PUBLISH_FLAGS=\"{MakefilePublishFlags()}\"\n", preamble, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^ARG DOTNET_VERSION=10\.0$", preamble);
        Assert.Matches(@"(?m)^FROM mcr\.microsoft\.com/dotnet/sdk:\$\{DOTNET_VERSION\} AS build$", Dockerfile);
        foreach (var (stage, project) in new[]
        {
            ("publish-operator", "src/ConnectorOperator/ConnectorOperator.csproj"),
            ("publish-connector", "src/ConnectorOperator.Connector/ConnectorOperator.Connector.csproj"),
        })
        {
            Assert.Matches(@"(?m)^ARG PUBLISH_FLAGS$", Stage(stage));
            Assert.Contains($"dotnet publish {project} ${{PUBLISH_FLAGS}} --no-restore", Stage(stage), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("operator", "publish-operator", "src/ConnectorOperator/ConnectorOperator.csproj", 8081)]
    [InlineData("connector", "publish-connector", "src/ConnectorOperator.Connector/ConnectorOperator.Connector.csproj", 8080)]
    public void Each_image_target_runs_its_assembly_as_uid_65532_on_runtime_deps(string target, string publishStage, string project, int port)
    {
        var stage = Stage(target);
        Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/runtime-deps:\$\{DOTNET_VERSION\}(-[a-z-]+)? AS ", stage);
        Assert.Contains($"COPY --from={publishStage} /out/ /app/", stage, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^USER 65532:65532$", stage);
        Assert.Matches($@"(?m)^EXPOSE {port}$", stage);

        var assembly = AssemblyName().Match(RepositoryFiles.Read(project)).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(assembly), $"{project} sets no AssemblyName");
        Assert.Matches($@"(?m)^ENTRYPOINT \[""/app/{Regex.Escape(assembly)}""\]$", stage);
    }

    [Fact]
    public void The_operator_image_runs_the_run_command_by_default()
    {
        Assert.Matches(@"(?m)^CMD \[""run""\]$", Stage("operator"));
        Assert.DoesNotMatch(@"(?m)^CMD ", Stage("connector"));
    }

    [Fact]
    public void The_makefile_builds_both_image_targets()
    {
        var makefile = RepositoryFiles.Read("Makefile");
        Assert.Contains("build --target operator", makefile, StringComparison.Ordinal);
        Assert.Contains("build --target connector", makefile, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_outputs_stay_out_of_the_build_context()
    {
        var ignored = RepositoryFiles.Read(".dockerignore").Split('\n').Select(l => l.Trim()).ToList();
        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
        Assert.Contains(".git", ignored);
        Assert.DoesNotContain(ignored, l => l is "src" or "src/");
    }

    [GeneratedRegex(@"(?m)^PUBLISH_FLAGS\s*:?=\s*(.+)$")]
    private static partial Regex PublishFlagsLine();

    [GeneratedRegex(@"<AssemblyName>([^<]+)</AssemblyName>")]
    private static partial Regex AssemblyName();
}
