package org.decisiongraph.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.decisiongraph.core.json.Hashing;
import org.decisiongraph.store.access.AuditEntry;
import org.decisiongraph.store.access.AuditQuery;
import org.decisiongraph.store.access.ConsoleUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Login, session cookie, CSRF, tenant membership and logout over plain HTTP against a real server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleLoginTest {
    private ConsoleHarness h;

    @BeforeAll
    void start() {
        h = new ConsoleHarness(Clock.systemUTC());
    }

    @AfterAll
    void stop() {
        h.close();
    }

    @Test
    void pagesRedirectToLoginWithoutASession() throws Exception {
        HttpResponse<String> r = new ConsoleHarness.Browser(h.base).get("/?tenant=tenant-a");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location").orElseThrow()).startsWith("/login?next=");
        HttpResponse<String> form = new ConsoleHarness.Browser(h.base).get("/login");
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("name=\"password\"");
        assertThat(form.headers().firstValue("Content-Security-Policy").orElseThrow()).isEqualTo("default-src 'self'; frame-ancestors 'none'");
        assertThat(form.headers().firstValue("X-Content-Type-Options").orElseThrow()).isEqualTo("nosniff");
        assertThat(form.headers().firstValue("Referrer-Policy").orElseThrow()).isEqualTo("same-origin");
    }

    @Test
    void wrongPasswordAndUnknownUserGetTheSameAnswer() throws Exception {
        HttpResponse<String> wrong = new ConsoleHarness.Browser(h.base).login("reader-a", "not the password");
        HttpResponse<String> unknown = new ConsoleHarness.Browser(h.base).login("nobody-here", "not the password");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Invalid user name or password");
        assertThat(unknown.body()).contains("Invalid user name or password");
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void loginSetsAHardenedCookieAndStoresOnlyItsHash() throws Exception {
        ConsoleHarness.Browser b = new ConsoleHarness.Browser(h.base);
        HttpResponse<String> r = b.login("admin-a", ConsoleHarness.PASSWORD);
        assertThat(r.statusCode()).isEqualTo(303);
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("dg_login=").contains("HttpOnly").containsIgnoringCase("SameSite=Lax").contains("Path=/");
        String loginId = b.cookie.substring("dg_login=".length());
        assertThat(new ConsoleUsers(h.db).login(loginId)).isEmpty();
        assertThat(new ConsoleUsers(h.db).login(Hashing.sha256(loginId.getBytes(java.nio.charset.StandardCharsets.UTF_8)))).isPresent();
        HttpResponse<String> page = b.get("/?tenant=tenant-a");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Projection health").contains("admin-a");
        List<AuditEntry> logins = h.server.services().access().queryAudit(new AuditQuery(null, "login", null, null, null, null, null, null, null, 100));
        assertThat(logins).anySatisfy(e -> {
            assertThat(e.record().actorId()).isEqualTo("admin-a");
            assertThat(e.record().outcome()).isEqualTo("accepted");
            assertThat(e.record().actorKind()).isEqualTo("user");
        });
    }

    @Test
    void aUserOfTenantACannotOpenTenantB() throws Exception {
        ConsoleHarness.Browser b = h.loggedIn("admin-a");
        HttpResponse<String> r = b.get("/?tenant=tenant-b");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("User is not a member of tenant tenant-b");
        assertThat(b.get("/?tenant=tenant-a").body()).doesNotContain("<option value=\"tenant-b\"");
        HttpResponse<String> stream = b.get("/console/stream?tenant=tenant-b");
        assertThat(stream.statusCode()).isEqualTo(403);
    }

    @Test
    void postsWithoutOrWithAWrongCsrfTokenAreRefused() throws Exception {
        ConsoleHarness.Browser b = h.loggedIn("reader-a");
        String csrf = ConsoleHarness.Browser.csrf(b.get("/?tenant=tenant-a").body());
        HttpResponse<String> none = b.post("/logout", Map.of("tenant", "tenant-a"), null);
        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(none.body()).contains("Missing or invalid CSRF token");
        HttpResponse<String> wrong = b.post("/logout", Map.of("tenant", "tenant-a", "_csrf", csrf + "x"), null);
        assertThat(wrong.statusCode()).isEqualTo(403);
        HttpResponse<String> foreign = b.post("/logout", Map.of("tenant", "tenant-a", "_csrf", csrf), "https://evil.example");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.body()).contains("Cross-origin form post refused");
        assertThat(b.get("/?tenant=tenant-a").statusCode()).as("still logged in").isEqualTo(200);
        List<AuditEntry> denied = h.server.services().access().queryAudit(new AuditQuery("tenant-a", "auth_denied", null, null, null, null, null, null, null, 100));
        assertThat(denied).anySatisfy(e -> assertThat(e.record().actorId()).isEqualTo("reader-a"));

        HttpResponse<String> out = b.post("/logout", Map.of("tenant", "tenant-a", "_csrf", csrf), null);
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(b.cookie).isNull();
        ConsoleHarness.Browser replay = new ConsoleHarness.Browser(h.base);
        replay.cookie = "dg_login=" + "stale";
        assertThat(replay.get("/").statusCode()).isEqualTo(302);
    }

    @Test
    void tenConsecutiveFailuresLockTheUser() throws Exception {
        new ConsoleAccounts(h.db, new PasswordHasher(1024, 1, 1), Clock.systemUTC())
                .create("lock-me", null, ConsoleHarness.PASSWORD, "tenant-a", List.of("reader"), List.of());
        for (int i = 0; i < 10; i++) {
            assertThat(new ConsoleHarness.Browser(h.base).login("lock-me", "wrong password " + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> r = new ConsoleHarness.Browser(h.base).login("lock-me", ConsoleHarness.PASSWORD);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("Invalid user name or password");
        assertThat(new ConsoleUsers(h.db).find("lock-me").orElseThrow().lockedUntil()).isNotNull();
    }

    /** A clock the test moves. */
    static final class MovableClock extends java.time.Clock {
        private volatile java.time.Instant now;

        MovableClock(java.time.Instant start) {
            now = start;
        }

        void advance(java.time.Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    @Test
    void loginsEndAfter30IdleMinutesOr12Hours() throws Exception {
        MovableClock clock = new MovableClock(java.time.Instant.parse("2026-01-05T08:00:00Z"));
        try (ConsoleHarness other = new ConsoleHarness(clock)) {
            ConsoleHarness.Browser b = new ConsoleHarness.Browser(other.base);
            assertThat(b.login("admin-a", ConsoleHarness.PASSWORD).statusCode()).isEqualTo(303);
            clock.advance(java.time.Duration.ofMinutes(29));
            assertThat(b.get("/?tenant=tenant-a").statusCode()).isEqualTo(200);
            clock.advance(java.time.Duration.ofMinutes(29));
            assertThat(b.get("/?tenant=tenant-a").statusCode()).as("activity moved the idle deadline").isEqualTo(200);
            clock.advance(java.time.Duration.ofMinutes(31));
            assertThat(b.get("/?tenant=tenant-a").statusCode()).as("idle for 31 minutes").isEqualTo(302);

            assertThat(b.login("admin-a", ConsoleHarness.PASSWORD).statusCode()).isEqualTo(303);
            for (int i = 0; i < 28; i++) { // 28 x 25 min = 11 h 40 min of steady activity
                clock.advance(java.time.Duration.ofMinutes(25));
                assertThat(b.get("/?tenant=tenant-a").statusCode()).isEqualTo(200);
            }
            clock.advance(java.time.Duration.ofMinutes(25));
            assertThat(b.get("/?tenant=tenant-a").statusCode()).as("past the 12 h lifetime").isEqualTo(302);
        }
    }

    @Test
    void loginOnlyFollowsLocalPaths() {
        assertThat(Console.safeNext("/traces?tenant=a")).isEqualTo("/traces?tenant=a");
        assertThat(Console.safeNext("//evil.example/")).isEqualTo("/");
        assertThat(Console.safeNext("https://evil.example/")).isEqualTo("/");
        assertThat(Console.safeNext("/login")).isEqualTo("/");
    }

    @Test
    void passwordsAreArgon2idAndVerifyOnlyWithTheRightPassword() {
        PasswordHasher hasher = new PasswordHasher(1024, 1, 1);
        String encoded = hasher.hash("a long enough password");
        assertThat(encoded).startsWith("$argon2id$v=19$m=1024,t=1,p=1$");
        assertThat(hasher.verify("a long enough password", encoded)).isTrue();
        assertThat(hasher.verify("a long enough passwore", encoded)).isFalse();
        assertThat(hasher.verify("a long enough password", "$argon2i$v=19$m=1024,t=1,p=1$AAAA$AAAA")).isFalse();
        assertThat(hasher.hash("a long enough password")).isNotEqualTo(encoded);
    }
}
