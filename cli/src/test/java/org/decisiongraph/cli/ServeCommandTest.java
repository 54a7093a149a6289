package org.decisiongraph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dg serve} as a child process: serves requests, then stops cleanly on SIGTERM. */
class ServeCommandTest {
    @TempDir
    Path dir;

    @Test
    void servesAndStopsOnSigterm() throws Exception {
        Path db = dir.resolve("serve.db");
        Path out = dir.resolve("stdout.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "org.decisiongraph.cli.Dg", "serve", "--db", db.toString(), "--port", "0"))
                .redirectOutput(out.toFile());
        pb.environment().put("DG_DEPLOYMENT_ENV", "dev");
        Process p = pb.start();
        try {
            String port;
            try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                port = null;
                while ((line = err.readLine()) != null) {
                    int at = line.indexOf("listening on http://");
                    if (at >= 0) {
                        port = line.substring(line.lastIndexOf(':') + 1).strip();
                        break;
                    }
                }
                assertThat(port).as("listening line on stderr").isNotNull();
                HttpResponse<String> health = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/readyz")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).contains("\"status\":\"ready\"");
                p.destroy(); // SIGTERM
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            String logs = Files.readString(out);
            assertThat(logs).contains("dg_serve_started").contains("dg_serve_stopped");
            assertThat(logs.lines().filter(l -> !l.isBlank())).allSatisfy(l -> assertThat(l).startsWith("{"));
        } finally {
            p.destroyForcibly();
        }
    }
}
