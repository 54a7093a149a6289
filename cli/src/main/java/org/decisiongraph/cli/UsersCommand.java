package org.decisiongraph.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.server.console.ConsoleAccounts;
import org.decisiongraph.server.console.PasswordHasher;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.access.ConsoleUser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dg users create|grant|list}: console users (platform spec 2.7). Passwords are read from stdin
 * ({@code --password-stdin}) or the terminal, never from the command line, and stored only as Argon2id hashes.
 */
@Command(name = "users", mixinStandardHelpOptions = true, description = "Manage operator console users.",
        subcommands = {UsersCommand.Create.class, UsersCommand.Grant.class, UsersCommand.ListUsers.class})
final class UsersCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    static String dbTarget(String db) {
        return db != null ? db : System.getenv().getOrDefault("DG_DATABASE_URL", ServeCommand.DEFAULT_DB);
    }

    static ConsoleAccounts accounts(Database db) {
        return new ConsoleAccounts(db, PasswordHasher.DEFAULT, Clock.systemUTC());
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a console user with a role in one tenant.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--db", paramLabel = "<db>", description = "SQLite file or jdbc:postgresql:// URL (default: DG_DATABASE_URL or " + ServeCommand.DEFAULT_DB + ")")
        String db;

        @Option(names = "--tenant", required = true, paramLabel = "<tenant>", description = "tenant id, or * for all tenants")
        String tenant;

        @Option(names = "--username", required = true, paramLabel = "<user>")
        String username;

        @Option(names = "--role", required = true, paramLabel = "reader|writer|admin")
        List<String> roles;

        @Option(names = "--permission", paramLabel = "<permission>", description = "default: by role (admin all, writer workflow_review and workflow_assign, reader none)")
        List<String> permissions = new ArrayList<>();

        @Option(names = "--display-name", paramLabel = "<name>")
        String displayName;

        @Option(names = "--password-stdin", description = "read the password from the first line of standard input")
        boolean passwordStdin;

        @Override
        public Integer call() {
            String password;
            try {
                password = readPassword(passwordStdin);
            } catch (IOException | IllegalStateException e) {
                return AccountsCommand.fail(spec, e.getMessage());
            }
            try (Database database = AccountsCommand.open(dbTarget(db))) {
                if (!accounts(database).create(username, displayName, password, tenant, roles, permissions)) {
                    return AccountsCommand.fail(spec, "user " + username + " already exists (use 'dg users grant' to add a tenant)");
                }
                spec.commandLine().getOut().println("created console user " + username + " (" + String.join(",", roles) + " in " + tenant + ")");
                return 0;
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("Error: " + e.getMessage());
                return 2;
            } catch (DgException e) {
                return AccountsCommand.fail(spec, e.message());
            }
        }
    }

    @Command(name = "grant", mixinStandardHelpOptions = true, description = "Add or replace a user's roles in a tenant.")
    static final class Grant implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--db", paramLabel = "<db>")
        String db;

        @Option(names = "--tenant", required = true, paramLabel = "<tenant>")
        String tenant;

        @Option(names = "--username", required = true, paramLabel = "<user>")
        String username;

        @Option(names = "--role", required = true, paramLabel = "reader|writer|admin")
        List<String> roles;

        @Option(names = "--permission", paramLabel = "<permission>")
        List<String> permissions = new ArrayList<>();

        @Override
        public Integer call() {
            try (Database database = AccountsCommand.open(dbTarget(db))) {
                if (!accounts(database).grant(username, tenant, roles, permissions)) {
                    return AccountsCommand.fail(spec, "no console user " + username);
                }
                spec.commandLine().getOut().println("granted " + String.join(",", roles) + " in " + tenant + " to " + username);
                return 0;
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("Error: " + e.getMessage());
                return 2;
            } catch (DgException e) {
                return AccountsCommand.fail(spec, e.message());
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List console users and their memberships.")
    static final class ListUsers implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--db", paramLabel = "<db>")
        String db;

        @Override
        public Integer call() {
            try (Database database = AccountsCommand.open(dbTarget(db))) {
                for (ConsoleUser u : accounts(database).list()) {
                    StringBuilder b = new StringBuilder(u.userId()).append('\t').append(u.status());
                    for (ConsoleUser.Membership m : u.memberships()) {
                        b.append('\t').append(m.tenantId()).append('=').append(String.join(",", m.roles()));
                    }
                    spec.commandLine().getOut().println(b);
                }
                return 0;
            } catch (DgException e) {
                return AccountsCommand.fail(spec, e.message());
            }
        }
    }

    static String readPassword(boolean stdin) throws IOException {
        if (stdin) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line = in.readLine();
            if (line == null) {
                throw new IllegalStateException("no password on standard input");
            }
            return line;
        }
        Console c = System.console();
        if (c == null) {
            throw new IllegalStateException("no terminal: pass --password-stdin and write the password to standard input");
        }
        char[] a = c.readPassword("Password: ");
        char[] b = c.readPassword("Repeat password: ");
        if (a == null || b == null || !java.util.Arrays.equals(a, b)) {
            throw new IllegalStateException("the passwords differ");
        }
        return new String(a);
    }
}
