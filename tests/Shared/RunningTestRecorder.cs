using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace DropActivation.TestSupport;

/// <summary>
/// xunit's test framework, plus one thing: while a test runs, its name is in the file
/// <c>$DROPACT_RUNNING_TESTS_DIR/&lt;assembly&gt;.running</c>. A test host that dies in native code
/// (a libtorch crash: no exception, no result) leaves that file behind, and .ci/run prints it, so
/// the log names the assembly and the test. Without the variable nothing is written. Every test
/// project runs under it (tests/Directory.Build.props adds the assembly's TestFramework attribute).
/// </summary>
public sealed class RunningTestRecorder : XunitTestFramework
{
    public RunningTestRecorder(IMessageSink messageSink) : base(messageSink) { }

    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor : XunitTestFrameworkExecutor
    {
        public Executor(AssemblyName name, ISourceInformationProvider source, IMessageSink diagnostics)
            : base(name, source, diagnostics) { }

        protected override void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            var dir = Environment.GetEnvironmentVariable("DROPACT_RUNNING_TESTS_DIR");
            if (string.IsNullOrEmpty(dir))
            {
                base.RunTestCases(testCases, executionMessageSink, executionOptions);
                return;
            }
            // Messages must reach the sink before the test body runs: xunit queues them otherwise,
            // and a test that crashes at once would die before its name was written.
            executionOptions.SetValue("xunit.execution.SynchronousMessageReporting", true);
            var file = Path.Combine(dir, new AssemblyName(AssemblyInfo.Name).Name + ".running");
            base.RunTestCases(testCases, new RecordingSink(executionMessageSink, file), executionOptions);
        }
    }

    private sealed class RecordingSink : LongLivedMarshalByRefObject, IMessageSink
    {
        private readonly IMessageSink _inner;
        private readonly string _file;
        private readonly HashSet<string> _running = new();

        public RecordingSink(IMessageSink inner, string file)
        {
            _inner = inner;
            _file = file;
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        }

        public bool OnMessage(IMessageSinkMessage message)
        {
            switch (message)
            {
                case ITestStarting starting: Update(() => _running.Add(starting.Test.DisplayName)); break;
                case ITestFinished finished: Update(() => _running.Remove(finished.Test.DisplayName)); break;
                case ITestAssemblyFinished: Update(() => _running.Clear()); break;
            }
            return _inner.OnMessage(message);
        }

        private void Update(Action change)
        {
            lock (_running)
            {
                change();
                try
                {
                    if (_running.Count == 0) File.Delete(_file);
                    else File.WriteAllLines(_file, _running);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // The record is a diagnostic: a full or read-only disk must not fail the tests.
                }
            }
        }
    }
}
