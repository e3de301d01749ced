namespace ConnectorOperator.LocalCluster.Kubelet;

/// <summary>
/// Which local program runs for which image: an exact image reference first, then its repository without tag or
/// digest (so <c>ghcr.io/x/connector</c> covers every tag).
/// </summary>
public sealed class ImageMap
{
    private readonly Dictionary<string, ContainerCommand> _entries = new(StringComparer.Ordinal);

    public ImageMap Add(string image, ContainerCommand command)
    {
        ArgumentException.ThrowIfNullOrEmpty(image);
        ArgumentNullException.ThrowIfNull(command);
        _entries[image] = command;
        return this;
    }

    public ImageMap Add(string image, string fileName, params string[] arguments) => Add(image, new ContainerCommand(fileName, arguments));

    public ContainerCommand? Find(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return _entries.TryGetValue(image, out var exact) ? exact
            : _entries.TryGetValue(Repository(image), out var byRepository) ? byRepository
            : null;
    }

    /// <summary><c>registry:5000/team/app:1.2@sha256:..</c> → <c>registry:5000/team/app</c>; a registry port is not a tag.</summary>
    public static string Repository(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var name = at >= 0 ? image[..at] : image;
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[..colon] : name;
    }
}
