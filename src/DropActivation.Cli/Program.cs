using DropActivation.Cli;
using DropActivation.Runtime;

// Before anything allocates: glibc keeps freed memory (see FreedMemory; DROPACT_GLIBC_MALLOC_DEFAULTS=1 opts out).
FreedMemory.ApplyDefault();
return CliApp.Run(args, Console.Out, Console.Error);
