using System.CommandLine;
using NvmeLm.Kube.Hosting;
using NvmeLm.Operator.Cli;

// The operator process: flags/env → OperatorHost (see Cli/OperatorCommand.cs). SIGTERM/SIGINT cancel the action's
// token only with a ProcessTerminationTimeout set (see ProcessShutdown).
return await OperatorCommand.Create().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = ProcessShutdown.Grace });
