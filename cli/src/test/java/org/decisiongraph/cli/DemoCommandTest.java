package org.decisiongraph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.server.console.PasswordHasher;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.access.ConsoleUser;
import org.decisiongraph.store.access.ConsoleUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dg demo}: seeds a new database file, prints the report and the URLs, and a re-run appends nothing. */
class DemoCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run dg(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Dg.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void seedsPrintsTheReportAndUrlsAndIsIdempotent() throws Exception {
        Path db = dir.resolve("data").resolve("demo.db");
        Path report = dir.resolve("out").resolve("report.json");
        Run first = dg("demo", "--db", db.toString(), "--output", report.toString(), "--console-url", "http://localhost:9999/",
                "--password", "demo-password-0001");
        assertThat(first.code()).as(first.err()).isZero();
        JsonObject doc = (JsonObject) JsonParser.parse(first.out());
        assertThat(JsonWriter.canonical(doc.get("appended_count"))).isEqualTo("22");
        assertThat(JsonWriter.canonical(doc.get("event_count"))).isEqualTo("22");
        assertThat(doc.getObject("live_trace").getString("workflow_status")).isEqualTo("escalated");
        assertThat(JsonWriter.canonical(doc.getObject("workflow_inbox").get("open_count"))).isEqualTo("2");
        assertThat(JsonWriter.canonical(doc.getObject("log_seq_range"))).isEqualTo("{\"first\":1,\"last\":22,\"reference_comparable\":true}");
        assertThat(JsonParser.parse(Files.readString(report))).isEqualTo(doc);
        assertThat(first.err()).contains("http://localhost:9999/?tenant=release-demo&trace_id=trace-live-renewal-002"
                + "&workflow_id=trace-live-renewal-002:exception:ex-live-renewal-002");
        assertThat(first.err()).contains("http://localhost:9999/console/workflow?tenant=release-demo&id="
                + "trace-incident-review-003%3Atrace_review%3Aincident_triage");
        assertThat(first.err()).contains("user 'demo', password 'demo-password-0001'");
        assertThat(doc.getObject("console_login").getString("username")).isEqualTo("demo");
        assertThat(first.out()).doesNotContain("demo-password-0001");
        try (Database database = Database.sqlite(db)) {
            ConsoleUser user = new ConsoleUsers(database).find("demo").orElseThrow();
            assertThat(user.memberships()).singleElement().satisfies(m -> {
                assertThat(m.tenantId()).isEqualTo("release-demo");
                assertThat(m.roles()).containsExactly("admin");
            });
            assertThat(PasswordHasher.DEFAULT.verify("demo-password-0001", user.passwordHash())).isTrue();
        }

        Run again = dg("demo", "--db", db.toString(), "--reuse");
        assertThat(again.err()).contains("Console login (updated");
        assertThat(again.code()).as(again.err()).isZero();
        JsonObject second = (JsonObject) JsonParser.parse(again.out());
        assertThat(JsonWriter.canonical(second.get("appended_count"))).isEqualTo("0");
        assertThat(JsonWriter.canonical(second.get("reused_count"))).isEqualTo("22");
        assertThat(JsonWriter.canonical(second.get("event_count"))).isEqualTo("22");
        assertThat(second.get("projection_digests")).isEqualTo(doc.get("projection_digests"));
    }

    @Test
    void rejectsANegativeTrafficCount() {
        Run run = dg("demo", "--db", dir.resolve("x.db").toString(), "--traffic", "-1");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--traffic must be >= 0");
    }
}
