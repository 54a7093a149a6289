package org.decisiongraph.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;

/**
 * {@code dg serve} as a real child process: {@code java -jar cli/target/dg.jar serve --db <db> --port 0} with
 * its stdout and stderr captured to files (scanned for secrets later), readiness awaited on {@code /api/readyz},
 * stopped with SIGKILL ({@link #kill()}) or SIGTERM ({@link #stop()}). One instance per process start.
 */
final class DgProcess implements AutoCloseable {
    private static final AtomicInteger STARTS = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Environment every started server gets: dev deployment, rate limits out of the way of the load, a 2 s projection lease (a killed node's work is taken over within 2 s instead of 15 s). */
    static final Map<String, String> BASE_ENV = Map.of(
            "DG_DEPLOYMENT_ENV", "dev",
            "DG_RATE_LIMITS", "read=1000000,write=1000000,admin=1000000,auth_failures=1000000",
            "DG_LOG_LEVEL", "info",
            "DG_PROJECTION_LEASE_TTL_MS", "2000");

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final URI base;

    private DgProcess(Process process, Path stdout, Path stderr, URI base) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.base = base;
    }

    /** The runnable jar built by the cli module ({@code -Ddg.jar}, set by the pom). */
    static Path jar() {
        Path jar = Path.of(System.getProperty("dg.jar", "../cli/target/dg.jar")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("dg.jar not found at " + jar + " (build the cli module first: ./mvnw -pl cli -am package)");
        }
        return jar;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A dynamic class-data archive of {@code dg serve} (halves the start time of the many restarts). */
    private static final Path SERVE_ARCHIVE = Path.of("target", "reliability", "dg-serve.jsa").toAbsolutePath();
    private static boolean warmedUp;

    private static List<String> command(boolean serve, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx384m", "-XX:+UseSerialGC", "-Xshare:auto"));
        if (serve) {
            cmd.addAll(List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + SERVE_ARCHIVE));
        }
        cmd.addAll(List.of("-jar", jar().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Writes the class-data archive once per JVM: the JVM writes it at a clean exit only, and the crash
     * cycles end with SIGKILL, so one server is started, touched and stopped with SIGTERM first.
     */
    private static synchronized void warmUp(Path logDir) {
        if (warmedUp) {
            return;
        }
        warmedUp = true;
        try {
            Path dir = Files.createTempDirectory("dg-warmup-");
            try (DgProcess dg = startProcess(dir.resolve("warmup.db").toString(), logDir, Map.of())) {
                HTTP.send(HttpRequest.newBuilder(dg.base.resolve("/openapi.json")).build(), HttpResponse.BodyHandlers.ofString());
                HTTP.send(HttpRequest.newBuilder(dg.base.resolve("/api/v1/events")).POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
                dg.stop();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs {@code dg <args>} to completion; returns exit code, stdout and stderr. */
    static Result run(Map<String, String> env, String... args) {
        try {
            Path out = Files.createTempFile("dg-run-", ".out");
            Path err = Files.createTempFile("dg-run-", ".err");
            ProcessBuilder pb = new ProcessBuilder(command(false, args)).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("dg " + String.join(" ", args) + " did not finish in 120 s");
            }
            Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code jcmd <pid> <command>} of the test JVM's JDK (diagnostics). */
    static Result jcmd(long pid, String command) {
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid), command)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(p.waitFor(), out, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Result(int exitCode, String out, String err) {
    }

    /** {@code dg accounts create}: returns the new account's token. */
    static String createAccount(String db, String id, String role, List<String> permissions, List<String> tenants) {
        List<String> args = new ArrayList<>(List.of("accounts", "create", db, "--id", id, "--role", role));
        permissions.forEach(p -> args.addAll(List.of("--permission", p)));
        tenants.forEach(t -> args.addAll(List.of("--tenant", t)));
        Result r = run(Map.of(), args.toArray(String[]::new));
        if (r.exitCode() != 0) {
            throw new IllegalStateException("dg accounts create failed (" + r.exitCode() + "): " + r.err());
        }
        String token = ((JsonObject) JsonParser.parse(r.out().strip())).getString("token");
        ISSUED_SECRETS.add(token);
        return token;
    }

    /** Every token and secret handed out in this JVM: the secret scan looks for them in logs and database files. */
    static final java.util.Set<String> ISSUED_SECRETS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Starts {@code dg serve} on {@code db} and waits until {@code /api/readyz} answers 200. */
    static DgProcess start(String db, Path logDir, Map<String, String> extraEnv) {
        warmUp(logDir);
        return startProcess(db, logDir, extraEnv);
    }

    private static DgProcess startProcess(String db, Path logDir, Map<String, String> extraEnv) {
        int n = STARTS.incrementAndGet();
        try {
            Files.createDirectories(logDir);
            Path out = logDir.resolve("serve-" + n + ".out.log");
            Path err = logDir.resolve("serve-" + n + ".err.log");
            ProcessBuilder pb = new ProcessBuilder(command(true, "serve", "--db", db, "--port", "0", "--bind", "127.0.0.1"))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            Map<String, String> env = new LinkedHashMap<>(BASE_ENV);
            env.putAll(extraEnv);
            pb.environment().putAll(env);
            Process p = pb.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            Integer port = null;
            while (port == null) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("dg serve exited with " + p.exitValue() + ": " + Files.readString(err));
                }
                if (System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IllegalStateException("dg serve printed no listening line in 90 s: " + Files.readString(err));
                }
                for (String line : Files.readAllLines(err, StandardCharsets.UTF_8)) {
                    int at = line.indexOf("listening on http://");
                    if (at >= 0) {
                        port = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1).strip());
                    }
                }
                if (port == null) {
                    Thread.sleep(25);
                }
            }
            DgProcess dg = new DgProcess(p, out, err, URI.create("http://127.0.0.1:" + port));
            dg.awaitReady(Duration.ofSeconds(60));
            return dg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base.resolve("/api/readyz"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException ignored) {
                // not listening yet
            }
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IllegalStateException("dg serve not ready at " + base);
            }
            Thread.sleep(25);
        }
    }

    URI base() {
        return base;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path stdout() {
        return stdout;
    }

    Path stderr() {
        return stderr;
    }

    /** SIGKILL (Process.destroyForcibly on Linux), then waits for the process to be gone. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("dg serve survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM: the server drains and closes the database. Returns the exit code. */
    int stop() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
                throw new IllegalStateException("dg serve did not stop within 60 s of SIGTERM");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
