using DropActivation.Cli;
using DropActivation.Runtime;

// First thing, before any output: the process settings (see ProcessSettings): restart under
// tcmalloc/jemalloc/mimalloc when one is installed (glibc's malloc fragments: 2x the resident memory
// after 5 epochs), else have glibc keep freed memory; DROPACT_ALLOCATOR=glibc or glibc-defaults opts
// out. On a restart this line does not return. Threads are set per command (--threads).
ProcessSettings.Apply();
return CliApp.Run(args, Console.Out, Console.Error);
