using System.CommandLine;
using NvmeLm.DevCluster;
using NvmeLm.DevCluster.NodeCache;
using NvmeLm.Kube.Hosting;

// The demo: the whole system (API server, operator, agents on emulated nodes) in one process. SIGTERM/SIGINT cancel
// the demo's token only with a ProcessTerminationTimeout set (see ProcessShutdown).
var root = new RootCommand("NvmeLm dev cluster: the operator and node agents on emulated nodes against the embedded API server")
{
    DemoCommand.Create(),
    NodeCacheCommand.Create(),
};
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = ProcessShutdown.Grace });
