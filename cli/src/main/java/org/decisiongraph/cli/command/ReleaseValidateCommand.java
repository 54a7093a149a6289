package org.decisiongraph.cli.command;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;

import org.decisiongraph.client.DgClient;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dg release-validate --url URL --api-key K [--tenant release-demo] [--report FILE]}: seeds the release demo
 * (platform spec 4.7.2, idempotent) into a running instance over HTTP and runs the seven release checks of platform
 * spec 7.8 ({@link ReleaseValidation}); prints the report (JSON) and exits 1 when a check fails.
 */
@Command(name = "release-validate", mixinStandardHelpOptions = true,
        description = "Seed the release demo into a running dg serve and run the seven release checks (JSON report).")
public final class ReleaseValidateCommand implements Callable<Integer> {
    @Option(names = "--url", required = true, paramLabel = "URL", description = "Base URL of the running service, e.g. http://127.0.0.1:8080")
    URI url;

    @Option(names = "--api-key", paramLabel = "KEY", description = "Token of an admin service account of the tenant (default: DG_API_KEY)")
    String apiKey;

    @Option(names = "--tenant", defaultValue = "release-demo", paramLabel = "T", description = "Tenant to seed and check (default: release-demo)")
    String tenant;

    @Option(names = {"--report", "--output", "-o"}, paramLabel = "FILE", description = "Also write the JSON report to FILE")
    Path report;

    @Option(names = "--summary-output", paramLabel = "FILE", description = "Append a markdown summary to FILE (also to $GITHUB_STEP_SUMMARY when set)")
    Path summary;

    @Option(names = "--quiet", description = "Do not print the report on stdout")
    boolean quiet;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        String key = apiKey != null ? apiKey : org.decisiongraph.server.Setting.DG_API_KEY.get();
        if (key == null || key.isBlank()) {
            err.println("Error: --api-key (or DG_API_KEY) is required");
            return 2;
        }
        URI base = URI.create(url.toString().endsWith("/") ? url.toString() : url + "/");
        DgClient client = new DgClient(base, key, tenant, 2, java.time.Duration.ofMillis(500));
        ReleaseValidation.Report r = new ReleaseValidation(client, base, key, tenant, Clock.systemUTC()).run();
        String text = JsonWriter.pretty(r.json()) + "\n";
        try {
            if (report != null) {
                if (report.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(report.toAbsolutePath().getParent());
                }
                Files.writeString(report, text, StandardCharsets.UTF_8);
            }
            String md = r.markdown();
            for (Path p : summaryTargets()) {
                Files.writeString(p, md, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            err.println("Error: could not write the report: " + e.getMessage());
            return 1;
        }
        if (!quiet) {
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
        }
        for (JsonObject c : r.checks()) {
            if (!"passed".equals(c.getString("status"))) {
                err.println("FAILED " + c.getString("name") + ": " + c.getString("detail"));
            }
        }
        return r.success() ? 0 : 1;
    }

    private List<Path> summaryTargets() {
        java.util.ArrayList<Path> out = new java.util.ArrayList<>();
        if (summary != null) {
            out.add(summary);
        }
        String gh = System.getenv("GITHUB_STEP_SUMMARY");
        if (gh != null && !gh.isBlank()) {
            out.add(Path.of(gh));
        }
        return out;
    }
}
