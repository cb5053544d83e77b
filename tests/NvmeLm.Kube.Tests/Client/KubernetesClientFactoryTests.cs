using NvmeLm.Kube.Client;

namespace NvmeLm.Kube.Tests.Client;

public sealed class KubernetesClientFactoryTests
{
    private const string Kubeconfig = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster:
            server: http://127.0.0.1:6443
        users:
        - name: u
          user:
            token: secret-token
        contexts:
        - name: ctx
          context:
            cluster: c
            user: u
        current-context: ctx
        """;

    [Fact]
    public void Create_Should_UseServerFromKubeconfig_When_PathGiven()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, Kubeconfig);

            using var client = KubernetesClientFactory.Create(path);

            Assert.Equal(new Uri("http://127.0.0.1:6443/"), client.BaseUri);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Create_Should_ThrowClearError_When_KubeconfigMissing()
    {
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "kubeconfig");

        var error = Assert.Throws<FileNotFoundException>(() => KubernetesClientFactory.Create(path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void KubeconfigFromVariable_Should_NameTheFirstExistingFileOfTheList()
    {
        var path = Path.GetTempFileName();
        try
        {
            string missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"));

            Assert.Equal(path, KubernetesClientFactory.KubeconfigFromVariable(missing + Path.PathSeparator + path));
            Assert.Null(KubernetesClientFactory.KubeconfigFromVariable(missing));
            Assert.Null(KubernetesClientFactory.KubeconfigFromVariable(null));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
