package org.decisiongraph.cli.command;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.store.audit.SigningKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dg keys generate|list|export-public}: Ed25519 signing keys for checkpoints (docs/OPERATIONS.md).
 * {@code <name>.key} holds the private and the public key (mode 600), {@code <name>.pub} the public key only.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Manage Ed25519 checkpoint signing keys.",
        subcommands = {KeysCommand.Generate.class, KeysCommand.ListKeys.class, KeysCommand.ExportPublic.class})
public final class KeysCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 1;
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Create <dir>/<name>.key (private, mode 600) and <dir>/<name>.pub; prints the key id.")
    static final class Generate implements Callable<Integer> {
        @Option(names = "--dir", defaultValue = ".", description = "Directory for the key files (default: ${DEFAULT-VALUE}).")
        Path dir;

        @Option(names = "--name", defaultValue = "dg-signing", description = "File name stem (default: ${DEFAULT-VALUE}).")
        String name;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                SigningKeys.Keys keys = SigningKeys.writeNew(dir, name);
                out.print(JsonWriter.pretty(JsonObject.builder()
                        .put("key_id", keys.keyId())
                        .put("private_key", dir.resolve(name + ".key").toString())
                        .put("public_key", dir.resolve(name + ".pub").toString())
                        .build()) + "\n");
                out.flush();
                return 0;
            } catch (DgException e) {
                spec.commandLine().getErr().println("Error: " + e.message());
                return 1;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the key files (*.key, *.pub) of a directory: key id, kind, file.")
    static final class ListKeys implements Callable<Integer> {
        @Option(names = "--dir", defaultValue = ".", description = "Directory (default: ${DEFAULT-VALUE}).")
        Path dir;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(p -> p.toString().endsWith(".key") || p.toString().endsWith(".pub")).sorted().toList();
            } catch (IOException e) {
                err.println("Error: cannot list '" + dir + "': " + e.getMessage());
                return 1;
            }
            for (Path f : files) {
                try {
                    SigningKeys.Keys k = SigningKeys.read(f);
                    out.println(k.keyId() + "\t" + (k.privateKey() != null ? "private" : "public") + "\t" + f);
                } catch (DgException e) {
                    err.println("Warning: " + e.message());
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "export-public", mixinStandardHelpOptions = true,
            description = "Print the public key (PEM) of a key file, or write it with --out.")
    static final class ExportPublic implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "<key-file>")
        Path keyFile;

        @Option(names = "--out", description = "Write the PEM to this file instead of stdout.")
        Path outFile;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try {
                String pem = SigningKeys.publicPem(SigningKeys.read(keyFile).publicKey());
                if (outFile != null) {
                    Files.writeString(outFile, pem);
                } else {
                    spec.commandLine().getOut().print(pem);
                    spec.commandLine().getOut().flush();
                }
                return 0;
            } catch (DgException e) {
                spec.commandLine().getErr().println("Error: " + e.message());
                return 1;
            } catch (IOException e) {
                spec.commandLine().getErr().println("Error: cannot write '" + outFile + "': " + e.getMessage());
                return 1;
            }
        }
    }
}
