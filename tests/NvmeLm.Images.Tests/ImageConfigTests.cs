using k8s.Models;
using NvmeLm.TestSupport;

namespace NvmeLm.Images.Tests;

/// <summary>The archives' OCI config and root filesystem against what the chart expects of them.</summary>
public sealed class ImageConfigTests
{
    [Theory]
    [InlineData(ImageBuild.Operator, "/app/NvmeLm.Operator")]
    [InlineData(ImageBuild.Agent, "/app/nvme-lm-agent")]
    public async Task Image_Should_RunItsBinaryAsNonRootWithNoShell(string name, string entrypoint)
    {
        var image = await ImageBuild.GetAsync(name);

        Assert.Equal("65532:65532", image.User);
        Assert.Equal([entrypoint], image.Entrypoint);
        Assert.Equal("/app", image.WorkingDir);
        Assert.True(File.GetUnixFileMode(image.PathOf(entrypoint)).HasFlag(UnixFileMode.OtherExecute), "the entrypoint is executable by 65532");
        Assert.Equal("linux", (string?)image.Config["os"]);
        Assert.Equal("amd64", (string?)image.Config["architecture"]);
        foreach (string shell in new[] { "/bin/sh", "/usr/bin/sh", "/bin/bash", "/usr/bin/bash", "/bin/busybox" })
        {
            Assert.False(File.Exists(image.PathOf(shell)), $"{shell} is in the image");
        }

        // Nothing runs in the image but the binary: every other executable file is a shared library.
        var executables = Directory.EnumerateFiles(image.RootFs, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Where(f => !new FileInfo(f).Attributes.HasFlag(FileAttributes.ReparsePoint) && File.GetUnixFileMode(f).HasFlag(UnixFileMode.UserExecute))
            .Select(f => "/" + Path.GetRelativePath(image.RootFs, f))
            .Where(f => f != entrypoint && !f.Contains(".so", StringComparison.Ordinal))
            .ToList();
        Assert.True(executables.Count == 0, "executables besides the entrypoint: " + string.Join(", ", executables));
    }

    [Theory]
    [InlineData(ImageBuild.Operator)]
    [InlineData(ImageBuild.Agent)]
    public async Task Image_Should_CarryOciLabelsOfThisCheckout(string name)
    {
        var image = await ImageBuild.GetAsync(name);
        string head = (await ProcessRunner.RunAsync("git", ["rev-parse", "HEAD"], TimeSpan.FromSeconds(30))).EnsureSuccess().StandardOutput.Trim();

        Assert.Equal(name, image.Labels["org.opencontainers.image.title"]);
        Assert.Equal(RenderedChart.AppVersion(), image.Labels["org.opencontainers.image.version"]);
        Assert.StartsWith(head, image.Labels["org.opencontainers.image.revision"], StringComparison.Ordinal);
        Assert.StartsWith("https://", image.Labels["org.opencontainers.image.source"], StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(image.Labels["org.opencontainers.image.description"]));
    }

    [Theory]
    [InlineData(ImageBuild.Operator)]
    [InlineData(ImageBuild.Agent)]
    public async Task Image_Should_NameTheDebianPackagesOfItsLibraries(string name)
    {
        var image = await ImageBuild.GetAsync(name);
        var listed = File.ReadAllLines(Path.Combine(ImageBuild.OutputDirectory, "debian-packages.txt")).Where(l => l.Length > 0).ToList();

        // The label, the dpkg status files scanners read, and the list next to the archives agree.
        Assert.Contains(listed, p => p.StartsWith("libc6=", StringComparison.Ordinal));
        Assert.Contains(listed, p => p.StartsWith("libssl3=", StringComparison.Ordinal));
        Assert.Equal(listed, image.Labels["io.nvmelm.debian-packages"].Split(' '));
        Assert.Equal(listed.Select(p => p.Split('=')[0]).Order(), Directory.GetFiles(image.PathOf("/var/lib/dpkg/status.d")).Select(Path.GetFileName).Order());
        Assert.All(listed, p => Assert.True(File.Exists(image.PathOf($"/usr/share/doc/{p.Split('=')[0]}/copyright")), $"{p}: no copyright file"));
    }

    [Fact]
    public async Task Images_Should_BeWhatTheChartRuns()
    {
        var operatorImage = await ImageBuild.GetAsync(ImageBuild.Operator);
        var agentImage = await ImageBuild.GetAsync(ImageBuild.Agent);
        var (deployment, daemonSet) = await RenderedChart.WorkloadsAsync();
        V1Container operatorContainer = deployment.Spec.Template.Spec.Containers.Single();
        V1Container agentContainer = daemonSet.Spec.Template.Spec.Containers.Single();

        // Image names and tags: the chart's default reference ends with the image's title and version.
        Assert.EndsWith($"/{operatorImage.Labels["org.opencontainers.image.title"]}:{operatorImage.Labels["org.opencontainers.image.version"]}", operatorContainer.Image);
        Assert.EndsWith($"/{agentImage.Labels["org.opencontainers.image.title"]}:{agentImage.Labels["org.opencontainers.image.version"]}", agentContainer.Image);
        // Entrypoint: the chart sets args only, so the image's entrypoint is what runs them.
        Assert.Null(operatorContainer.Command);
        Assert.Null(agentContainer.Command);
        // Ports: the metrics port the probes and Services use is the one the image exposes.
        Assert.Equal([$"{operatorContainer.Ports.Single().ContainerPort}/tcp"], operatorImage.ExposedPorts);
        Assert.Equal([$"{agentContainer.Ports.Single().ContainerPort}/tcp"], agentImage.ExposedPorts);
        // User: the non-root user the chart runs the operator as is the image's.
        Assert.Equal(operatorImage.User, $"{deployment.Spec.Template.Spec.SecurityContext.RunAsUser}:{deployment.Spec.Template.Spec.SecurityContext.RunAsGroup}");
    }

    [Fact]
    public async Task AgentImage_Should_HoldTheSampleHostAndRunAsTheUserTheEmulatedChartExpects()
    {
        var agentImage = await ImageBuild.GetAsync(ImageBuild.Agent);
        var (_, daemonSet) = await RenderedChart.WorkloadsAsync("agent.hardware=emulated");
        var pod = daemonSet.Spec.Template.Spec;
        string config = pod.Containers.Single().Args.Single(a => a.StartsWith("--emulated-config=", StringComparison.Ordinal)).Split('=', 2)[1];

        Assert.Equal(File.ReadAllText(RepositoryPaths.Combine("node-agent", "NvmeLm.NodeAgent", "emulated-host.json")), File.ReadAllText(agentImage.PathOf(config)));
        Assert.Equal(agentImage.User, $"{pod.SecurityContext.RunAsUser}:{pod.SecurityContext.RunAsGroup}");
    }
}
