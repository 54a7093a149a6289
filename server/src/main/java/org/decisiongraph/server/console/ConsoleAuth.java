package org.decisiongraph.server.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.decisiongraph.core.json.Hashing;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.store.access.AccessStore;
import org.decisiongraph.store.access.AuditRecord;
import org.decisiongraph.store.access.ConsoleLogin;
import org.decisiongraph.store.access.ConsoleUser;
import org.decisiongraph.store.access.ConsoleUsers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Console login, login lookup and logout (platform spec 2.7): password check against the Argon2id hash, lockout after
 * consecutive failures, server-side login records keyed by the SHA-256 of a random login id, idle and absolute
 * expiry, a CSRF token per login. Every login attempt and logout is an {@code audit_log} row. Thread-safe.
 */
final class ConsoleAuth {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleAuth.class);
    static final String INVALID_LOGIN = "Invalid user name or password";
    private static final Duration TOUCH_EVERY = Duration.ofSeconds(60);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A login attempt's result: a new login id for the cookie, or the failure message. */
    record LoginResult(String loginId, ConsoleSession session, String error) {
        boolean ok() {
            return loginId != null;
        }
    }

    private final ConsoleUsers users;
    private final AccessStore access;
    private final PasswordHasher hasher;
    private final ConsoleConfig config;
    private final Clock clock;
    private final String dummyHash;

    ConsoleAuth(ConsoleUsers users, AccessStore access, PasswordHasher hasher, ConsoleConfig config, Clock clock) {
        this.users = users;
        this.access = access;
        this.hasher = hasher;
        this.config = config;
        this.clock = clock;
        this.dummyHash = hasher.hash("not-a-real-password-" + RANDOM.nextLong());
    }

    ConsoleConfig config() {
        return config;
    }

    LoginResult login(String userId, String password, String clientAddress, String requestId) {
        Instant now = clock.instant();
        Optional<ConsoleUser> found = userId == null || userId.isBlank() ? Optional.empty() : users.find(userId.strip());
        String pw = password == null ? "" : password;
        if (found.isEmpty()) {
            hasher.verify(pw, dummyHash); // same work whether or not the user exists
            audit(null, userId, List.of(), "login", "denied", INVALID_LOGIN, "unknown_user", requestId, clientAddress);
            return new LoginResult(null, null, INVALID_LOGIN);
        }
        ConsoleUser user = found.get();
        boolean locked = user.lockedUntil() != null && user.lockedUntil().isAfter(now);
        boolean matches = hasher.verify(pw, user.passwordHash());
        if (!matches || locked || !user.isActive()) {
            String step = !user.isActive() ? "disabled" : locked ? "locked" : "password";
            if (!matches) {
                users.recordFailure(user.userId(), config.lockoutThreshold(), now.plus(config.lockoutDuration()));
            }
            audit(null, user.userId(), List.of(), "login", "denied", INVALID_LOGIN, step, requestId, clientAddress);
            return new LoginResult(null, null, INVALID_LOGIN);
        }
        String loginId = randomToken();
        ConsoleLogin login = new ConsoleLogin(hashLoginId(loginId), user.userId(), now, now, now.plus(config.absoluteLifetime()),
                randomToken());
        users.recordLogin(login);
        audit(null, user.userId(), List.of(), "login", "accepted", null, null, requestId, clientAddress);
        return new LoginResult(loginId, new ConsoleSession(user, login), null);
    }

    /** The session of a cookie value, when the login exists, has not expired and its user is active. */
    Optional<ConsoleSession> resolve(String loginId) {
        if (loginId == null || loginId.isBlank() || loginId.length() > 200) {
            return Optional.empty();
        }
        String hash = hashLoginId(loginId);
        Optional<ConsoleLogin> found = users.login(hash);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ConsoleLogin login = found.get();
        Instant now = clock.instant();
        if (!now.isBefore(login.expiresAt()) || !now.isBefore(login.lastSeenAt().plus(config.idleTimeout()))) {
            users.deleteLogin(hash);
            return Optional.empty();
        }
        Optional<ConsoleUser> user = users.find(login.userId());
        if (user.isEmpty() || !user.get().isActive()) {
            users.deleteLogin(hash);
            return Optional.empty();
        }
        if (now.isAfter(login.lastSeenAt().plus(TOUCH_EVERY))) {
            try {
                users.touchLogin(hash, now);
                login = new ConsoleLogin(login.loginIdSha256(), login.userId(), login.createdAt(), now, login.expiresAt(),
                        login.csrfToken());
            } catch (RuntimeException e) {
                LOG.warn("console_login_touch_failed message={}", e.getMessage());
            }
        }
        return Optional.of(new ConsoleSession(user.get(), login));
    }

    void logout(ConsoleSession session, String clientAddress, String requestId) {
        users.deleteLogin(session.login().loginIdSha256());
        audit(null, session.userId(), List.of(), "logout", "accepted", null, null, requestId, clientAddress);
    }

    /** Whether the presented CSRF token equals the login's (constant time). */
    static boolean csrfMatches(ConsoleSession session, String presented) {
        return presented != null && MessageDigest.isEqual(session.csrfToken().getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    void audit(String tenant, String userId, List<String> roles, String action, String outcome, String reason, String step,
               String requestId, String clientAddress) {
        JsonObject details = step == null ? JsonObject.empty() : JsonObject.builder().put("step", step).build();
        try {
            access.appendAudit(new AuditRecord(tenant, clock.instant(), "user", userId, roles, action, "console", "login",
                    outcome, reason, null, requestId, clientAddress, details));
        } catch (RuntimeException e) {
            LOG.error("audit_write_failed action={}", action, e);
        }
    }

    static String hashLoginId(String loginId) {
        return Hashing.sha256(loginId.getBytes(StandardCharsets.UTF_8));
    }

    private static String randomToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
