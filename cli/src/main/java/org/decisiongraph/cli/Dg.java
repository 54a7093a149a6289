package org.decisiongraph.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code dg} command: the one entry point of DecisionGraph. Every tool is a subcommand; stdout
 * carries results (JSON where a script reads it), stderr carries progress and messages.
 */
@Command(name = "dg",
        mixinStandardHelpOptions = true,
        versionProvider = Dg.Version.class,
        description = "DecisionGraph: an append-only, hash-verified decision event log with verifiable projections.",
        subcommands = {
                CommandLine.HelpCommand.class,
                org.decisiongraph.cli.command.ValidateCommand.class,
                org.decisiongraph.cli.command.ImportCommand.class,
                org.decisiongraph.cli.command.DumpTraceCommand.class,
                org.decisiongraph.cli.command.ReplayCommand.class,
                org.decisiongraph.cli.command.ProjectionStatusCommand.class,
                org.decisiongraph.cli.command.QueryCommand.class,
                org.decisiongraph.cli.command.VerifyCommand.class,
                org.decisiongraph.cli.command.BenchCommand.class,
                ServeCommand.class,
                DemoCommand.class,
                AccountsCommand.class,
                UsersCommand.class,
                org.decisiongraph.cli.command.KeysCommand.class,
                org.decisiongraph.cli.command.CheckpointCommand.class,
                org.decisiongraph.cli.command.ExportCommand.class,
                org.decisiongraph.cli.command.VerifyExportCommand.class,
                org.decisiongraph.cli.command.BackupCommand.class,
                org.decisiongraph.cli.command.RestoreCommand.class,
                org.decisiongraph.cli.command.MigrateCommand.class,
                org.decisiongraph.cli.command.RedactCommand.class,
                org.decisiongraph.cli.command.RetentionCommand.class,
                org.decisiongraph.cli.command.ReleaseValidateCommand.class,
        })
public final class Dg implements java.util.concurrent.Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs {@code dg} with UTF-8 stdout/stderr and returns the exit code (for tests and main). */
    public static int run(String... args) {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        return commandLine(out, err).execute(args);
    }

    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Dg());
        cl.setOut(out);
        cl.setErr(err);
        // secrets (API keys are base64url and may begin with "-o", "-h", ...) must be accepted as option values
        cl.setAllowOptionsAsOptionParameters(true);
        return cl;
    }

    @Override
    public Integer call() {
        // No subcommand: show help and exit 1, like the reference CLI.
        spec.commandLine().usage(spec.commandLine().getErr());
        return 1;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Dg.class.getPackage().getImplementationVersion();
            return new String[] {"dg " + (v == null ? "0.1.0" : v)};
        }
    }
}
