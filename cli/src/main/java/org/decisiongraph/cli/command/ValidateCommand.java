package org.decisiongraph.cli.command;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.event.EventFiles;
import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.core.validate.EventValidator;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dg validate <file>}: the stateless steps of the append pipeline (envelope types, idempotency key,
 * JSON safety, payload schema, PII guard, payload hash) for every event of a file, without a database.
 */
@Command(name = "validate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Check event envelopes offline and print each payload hash.",
        descriptionHeading = "%n",
        description = {
            "Runs the stateless checks of the append pipeline on every event of <file>, in order: envelope "
                    + "field types, idempotency key, JSON safety, payload schema, PII guard and the payload hash "
                    + "(which rejects floats). Nothing is stored. Sequencing, idempotent reuse and the finish lock "
                    + "need a store and are not checked (use 'dg import' for that).",
            "",
            "Event types are the 10 of the reference by default; --platform-types also accepts the platform's "
                    + "WorkflowReviewRequested with its field rules.",
        },
        parameterListHeading = "%nInput:%n",
        optionListHeading = "%nOptions:%n",
        footerHeading = "%n",
        footer = {
            "Input formats (detected from the content):",
            "  - JSON Lines: one envelope object per line; blank lines are skipped; a",
            "    malformed line is reported for its event and reading goes on. Streamed,",
            "    so files of any size work.",
            "  - a JSON document with an \"events\" list (a golden scenario's events.json);",
            "  - a fixture bundle (\"format\": \"decisiongraph.reference_fixture_bundle\"):",
            "    the events of its scenarios, in bundle order.",
            "",
            "Output (stdout): one compact JSON object per input event, in input order,",
            "with the keys in this order:",
            "  {\"index\":0,\"valid\":true,\"payload_hash\":\"sha256:...\"}",
            "  {\"index\":1,\"valid\":false,\"error_code\":\"DG_ERR_...\",\"message\":\"...\"}",
            "The output is pure ASCII: characters outside U+0020..U+007E in messages are",
            "written as \\uXXXX escapes (as dump-trace does), so the bytes do not depend",
            "on the terminal's encoding. A summary line goes to stderr.",
            "",
            "Exit codes: 0 the file was read (also when events are invalid); 1 the file",
            "could not be read (missing, not a file, I/O error, or a JSON document that",
            "does not parse); 2 usage error.",
            "",
            "Example: dg validate fixtures/reference_fixture_bundle.json",
        })
public final class ValidateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<file>",
            description = "The events to check: JSON Lines, an events.json document or a fixture bundle; '-' reads stdin.")
    String file;

    @Option(names = "--platform-types",
            description = "Accept the platform event types (adds WorkflowReviewRequested) instead of the 10 reference types.")
    boolean platformTypes;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EventValidator validator = new EventValidator(platformTypes ? EventTypeSet.PLATFORM : EventTypeSet.REFERENCE);
        if (!file.equals("-") && Files.exists(Path.of(file)) && !Files.isRegularFile(Path.of(file))) {
            return fail(err, "Error: '" + file + "' is not a file");
        }
        long valid = 0;
        long invalid = 0;
        try (EventFiles.Reader reader = open()) {
            while (reader.hasNext()) {
                JsonObject result = check(validator, reader.next());
                if (result.get("valid") == Json.of(true)) {
                    valid++;
                } else {
                    invalid++;
                }
                out.print(JsonWriter.asciiInOrder(result));
                out.print('\n');
            }
        } catch (NoSuchFileException e) {
            return fail(err, "Error: File '" + file + "' not found");
        } catch (IOException | UncheckedIOException e) {
            IOException cause = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
            return fail(err, "Error reading '" + file + "': " + cause.getMessage());
        } catch (DgException e) {
            return fail(err, "Error reading '" + file + "': " + e);
        } finally {
            out.flush();
        }
        err.println("dg validate: " + (valid + invalid) + " events, " + valid + " valid, " + invalid + " invalid");
        err.flush();
        return 0;
    }

    private EventFiles.Reader open() throws IOException {
        if (file.equals("-")) {
            InputStream stdin = System.in;
            return EventFiles.open(new java.io.FilterInputStream(stdin) {
                @Override
                public void close() {
                    // stdin stays open for the process
                }
            });
        }
        return EventFiles.open(Path.of(file));
    }

    static JsonObject check(EventValidator validator, EventFiles.Item item) {
        JsonObject.Builder b = JsonObject.builder().put("index", item.index());
        DgException error;
        if (item instanceof EventFiles.Parsed p) {
            try {
                return b.put("valid", true).put("payload_hash", validator.validate(p.envelope()).payloadHash()).build();
            } catch (DgException e) {
                error = e;
            }
        } else {
            error = ((EventFiles.Invalid) item).error();
        }
        return b.put("valid", false).put("error_code", error.code().name()).put("message", error.message()).build();
    }

    private static int fail(PrintWriter err, String message) {
        err.println(message);
        err.flush();
        return 1;
    }
}
