using NvmeLm.NodeAgent.Cli;

// Thin dispatcher: the command tree is in Cli/AgentCli.cs, each command in Commands/.
return await AgentCli.RunAsync(args);
