using NvmeLm.TestSupport;

namespace NvmeLm.Images.Tests;

/// <summary>
/// build/operator.Dockerfile and build/agent.Dockerfile build the same images as build/images.sh, for those who use
/// Docker (no container engine runs here, so what can be compared statically is): user, entrypoint, working
/// directory, ports, environment, label keys and fixed values, the version default, and the files under /app.
/// </summary>
public sealed class DockerfileEquivalenceTests
{
    [Theory]
    [InlineData(ImageBuild.Operator, "operator.Dockerfile")]
    [InlineData(ImageBuild.Agent, "agent.Dockerfile")]
    public async Task Dockerfile_Should_DescribeTheImageTheScriptBuilds(string name, string dockerfile)
    {
        var image = await ImageBuild.GetAsync(name);
        var stage = DockerfileFinalStage.Read(RepositoryPaths.Combine("build", dockerfile));

        Assert.Equal(image.User, stage.User);
        Assert.Equal(image.Entrypoint, stage.Entrypoint);
        Assert.Equal(image.WorkingDir, stage.WorkingDir);
        Assert.Equal(image.ExposedPorts, stage.ExposedPorts);
        Assert.Equal(image.Env.Where(e => !e.StartsWith("PATH=", StringComparison.Ordinal)).Order(), stage.Env.Order());
        // The Debian package list is a label only the script can compute; the Dockerfile's image has the same
        // dpkg status files (build/base-rootfs.sh writes both).
        Assert.Equal(image.Labels.Keys.Where(k => k != "io.nvmelm.debian-packages").Order(), stage.Labels.Keys.Order());
        Assert.Equal(image.Labels["org.opencontainers.image.title"], stage.Labels["org.opencontainers.image.title"]);
        Assert.Equal(image.Labels["org.opencontainers.image.description"], stage.Labels["org.opencontainers.image.description"]);
        Assert.Equal(image.Labels["org.opencontainers.image.version"], stage.ArgDefaults["VERSION"]);
        Assert.Equal(image.Labels["org.opencontainers.image.source"], stage.ArgDefaults["SOURCE"]);
        Assert.Equal(Directory.GetFiles(image.PathOf("/app")).Select(f => "/app/" + Path.GetFileName(f)).Order(), stage.AppFiles);
    }
}
