package org.decisiongraph.cli.command;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.store.audit.EvidenceVerifier;
import org.decisiongraph.store.audit.SigningKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dg verify-export FILE --public-key <file>}: checks an evidence bundle offline (no database). Exit 0 and
 * an {@code OK} line when everything holds; exit 4 and {@code FAILED: <what broke>} otherwise; exit 1 when the
 * files cannot be read.
 */
@Command(name = "verify-export", mixinStandardHelpOptions = true,
        description = "Verify an evidence bundle offline with the signer's public key; exit 4 on any failure.")
public final class VerifyExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "Bundle written by dg export.")
    Path file;

    @Option(names = "--public-key", required = true, description = "Public key file (.pub or a private key file).")
    Path publicKey;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Json bundle;
        SigningKeys.Keys keys;
        try {
            keys = SigningKeys.read(publicKey);
            bundle = JsonParser.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (DgException e) {
            err.println("Error: " + e.message());
            return 1;
        } catch (IOException | RuntimeException e) {
            err.println("Error: cannot read '" + file + "': " + e.getMessage());
            return 1;
        }
        EvidenceVerifier.Result r = EvidenceVerifier.verify(bundle, keys.publicKey());
        if (!r.ok()) {
            out.println("FAILED: " + r.failure());
            out.flush();
            return VerifyCommand.MISMATCH;
        }
        out.println("OK: " + r.events() + " events, " + r.links() + " chain links, checkpoint at log_seq="
                + r.checkpointLogSeq() + " signed by " + keys.keyId());
        out.flush();
        return 0;
    }
}
