package org.decisiongraph.cli.command;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code dg serve} as a real child JVM (the test classpath, main class {@code org.decisiongraph.cli.Dg}) on any
 * free port: started, then stopped with SIGTERM or killed with {@code destroyForcibly()} (SIGKILL: no shutdown
 * hook, no drain). Its stderr is collected; its stdout (the JSON log) goes to a file.
 */
final class ServeProcess implements AutoCloseable {
    private final Process process;
    private final URI base;
    private final List<String> stderr;

    private ServeProcess(Process process, URI base, List<String> stderr) {
        this.process = process;
        this.base = base;
        this.stderr = stderr;
    }

    static ServeProcess start(String db, Path log, Map<String, String> env) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "org.decisiongraph.cli.Dg", "serve", "--db", db, "--port", "0"))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("DG_DEPLOYMENT_ENV", "dev");
        pb.environment().put("DG_RATE_LIMITS", "read=100000,write=100000,admin=100000,auth_failures=100000");
        pb.environment().putAll(env);
        Process p = pb.start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<String> port = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                    lines.add(line);
                    int at = line.indexOf("listening on http://");
                    if (at >= 0) {
                        port.complete(line.substring(line.lastIndexOf(':') + 1).strip());
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            port.complete(null);
        });
        String found;
        try {
            found = port.get(120, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            found = null;
        }
        if (found == null) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException("dg serve did not start: " + String.join("\n", lines));
        }
        return new ServeProcess(p, URI.create("http://127.0.0.1:" + found + "/"), lines);
    }

    URI base() {
        return base;
    }

    long pid() {
        return process.pid();
    }

    String stderr() {
        synchronized (stderr) {
            return String.join("\n", stderr);
        }
    }

    /** SIGKILL: the JVM ends at once, without its shutdown hook. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        return process.waitFor();
    }

    /** SIGTERM: the shutdown hook drains and closes. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
