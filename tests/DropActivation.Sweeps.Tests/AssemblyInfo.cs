// The stand-ins for train and Slurm are shell scripts; Slurm itself is Linux-only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
