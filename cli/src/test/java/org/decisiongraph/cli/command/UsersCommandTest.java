package org.decisiongraph.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.decisiongraph.server.console.PasswordHasher;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.access.ConsoleUser;
import org.decisiongraph.store.access.ConsoleUsers;
import org.decisiongraph.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

/** {@code dg users create|grant|list}: the password comes from stdin and is stored only as an Argon2id hash. */
class UsersCommandTest {
    private static CliRun withStdin(String stdin, String... args) {
        InputStream before = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return CliRun.dg(args);
        } finally {
            System.setIn(before);
        }
    }

    @Test
    void createsGrantsAndListsConsoleUsers() {
        Path db = TestDatabases.newSqlitePath();
        CliRun created = withStdin("a long enough password\n", "users", "create", "--db", db.toString(), "--tenant", "acme",
                "--username", "ops", "--role", "admin", "--password-stdin");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).contains("created console user ops");
        CliRun granted = CliRun.dg("users", "grant", "--db", db.toString(), "--username", "ops", "--tenant", "beta", "--role", "reader");
        assertThat(granted.exitCode()).as(granted.err()).isZero();
        CliRun list = CliRun.dg("users", "list", "--db", db.toString());
        assertThat(list.out()).contains("ops\tactive\tacme=admin\tbeta=reader");
        try (Database d = Database.sqlite(db)) {
            ConsoleUser u = new ConsoleUsers(d).find("ops").orElseThrow();
            assertThat(u.passwordHash()).startsWith("$argon2id$").doesNotContain("a long enough password");
            assertThat(PasswordHasher.DEFAULT.verify("a long enough password", u.passwordHash())).isTrue();
            assertThat(u.memberships()).hasSize(2);
            assertThat(u.memberships().getFirst().permissions()).hasSize(7);
        }
        CliRun again = withStdin("a long enough password\n", "users", "create", "--db", db.toString(), "--tenant", "acme",
                "--username", "ops", "--role", "admin", "--password-stdin");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("already exists");
    }

    @Test
    void refusesShortPasswordsAndUnknownRoles() {
        Path db = TestDatabases.newSqlitePath();
        CliRun shortPw = withStdin("short\n", "users", "create", "--db", db.toString(), "--tenant", "acme", "--username", "ops",
                "--role", "admin", "--password-stdin");
        assertThat(shortPw.exitCode()).isEqualTo(2);
        assertThat(shortPw.err()).contains("password must be at least 12 characters");
        CliRun badRole = withStdin("a long enough password\n", "users", "create", "--db", db.toString(), "--tenant", "acme",
                "--username", "ops", "--role", "owner", "--password-stdin");
        assertThat(badRole.exitCode()).isEqualTo(2);
        assertThat(badRole.err()).contains("role must be reader, writer or admin");
    }
}
