package org.decisiongraph.cli.command;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.decisiongraph.cli.Dg;

/** Runs {@code dg} in-process and captures its exit code, stdout and stderr. */
record CliRun(int exitCode, String out, String err) {
    static CliRun dg(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Dg.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
