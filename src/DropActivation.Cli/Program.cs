using DropActivation.Cli;
using DropActivation.Runtime;

// First thing, before any output: restart under tcmalloc/jemalloc/mimalloc when one is installed
// (glibc's malloc fragments: 2x the resident memory after 5 epochs; see NativeAllocator;
// DROPACT_ALLOCATOR=glibc opts out). On success this line does not return.
NativeAllocator.RestartUnderFastAllocator();
// On glibc: keep freed memory (see FreedMemory; DROPACT_GLIBC_MALLOC_DEFAULTS=1 opts out).
FreedMemory.ApplyDefault();
return CliApp.Run(args, Console.Out, Console.Error);
