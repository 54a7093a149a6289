package org.decisiongraph.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.server.auth.Accounts;
import org.decisiongraph.server.auth.Permissions;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.DbLocation;
import org.decisiongraph.store.StoreConfig;
import org.decisiongraph.store.access.AccountKey;
import org.decisiongraph.store.access.ServiceAccount;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dg accounts create|list|rotate|revoke <db> ...}: service accounts of the HTTP API. Tokens are
 * printed once (create, rotate) and stored only as SHA-256 hashes.
 */
@Command(name = "accounts", mixinStandardHelpOptions = true, description = "Manage service accounts of the HTTP API.",
        subcommands = {AccountsCommand.Create.class, AccountsCommand.ListAccounts.class, AccountsCommand.Rotate.class,
                AccountsCommand.Revoke.class, AccountsCommand.Bootstrap.class})
final class AccountsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    static Database open(String db) {
        return Database.open(DbLocation.parse(db, org.decisiongraph.server.Setting.DG_DB_USER.get(), org.decisiongraph.server.Setting.DG_DB_PASSWORD.get()),
                StoreConfig.DEFAULTS);
    }

    static Accounts accounts(Database db) {
        return new Accounts(new org.decisiongraph.store.access.AccessStore(db), java.time.Clock.systemUTC());
    }

    static int fail(CommandSpec spec, String message) {
        spec.commandLine().getErr().println("Error: " + message);
        return 1;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an account and print its first token.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "<db>", description = "the SQLite database file of dg serve (or a jdbc:postgresql: URL)")
        String db;

        @Option(names = "--id", required = true, paramLabel = "<account_id>", description = "the account's id (unique)")
        String id;

        @Option(names = "--role", required = true, paramLabel = "reader|writer|admin",
                description = "repeatable: reader reads, writer appends events, admin manages tenants, accounts and runs")
        List<String> roles;

        @Option(names = "--permission", paramLabel = "<permission>",
                description = "repeatable: projection_replay, projection_rebuild, workflow_review (also needed to append "
                        + "ApprovalRecorded / WorkflowReviewRequested events), workflow_assign, workflow_escalate, "
                        + "workflow_override, workflow_export, or * for all")
        List<String> permissions = new ArrayList<>();

        @Option(names = "--tenant", paramLabel = "<tenant>", description = "repeatable: a tenant the account may use, or * for all")
        List<String> tenants = new ArrayList<>();

        @Option(names = "--display-name", paramLabel = "<name>", description = "a name for people (optional)")
        String displayName;

        @Override
        public Integer call() {
            if (id.isBlank()) {
                return fail(spec, "--id must not be blank");
            }
            for (String r : roles) {
                if (!Permissions.ROLES.contains(r)) {
                    return fail(spec, "--role must be reader, writer or admin, got '" + r + "'");
                }
            }
            for (String p : permissions) {
                if (!p.equals("*") && !Permissions.ALL.contains(p)) {
                    return fail(spec, "unknown permission '" + p + "' (" + String.join(", ", Permissions.ALL) + " or *)");
                }
            }
            List<String> tenantIds = tenants.isEmpty() ? List.of("default") : tenants;
            try (Database database = open(db)) {
                Optional<Accounts.Created> created = accounts(database).create(id, displayName, roles, permissions,
                        tenantIds, null, "cli");
                if (created.isEmpty()) {
                    return fail(spec, "Service account '" + id + "' already exists");
                }
                PrintWriter out = spec.commandLine().getOut();
                out.println(JsonWriter.canonicalLenient(JsonObject.builder()
                        .put("account_id", id)
                        .put("token", created.get().key().token())
                        .build()));
                out.flush();
                return 0;
            } catch (DgException e) {
                return fail(spec, e.message());
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Print the accounts as JSON (never tokens).")
    static final class ListAccounts implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "<db>", description = "the SQLite database file of dg serve (or a jdbc:postgresql: URL)")
        String db;

        @Override
        public Integer call() {
            try (Database database = open(db)) {
                List<Json> out = new ArrayList<>();
                for (ServiceAccount a : accounts(database).store().accounts()) {
                    List<Json> keys = new ArrayList<>();
                    for (AccountKey k : a.keys()) {
                        keys.add(JsonObject.builder()
                                .put("key_id", k.keyId())
                                .put("display_prefix", k.displayPrefix())
                                .put("created_at", k.createdAt().toString())
                                .put("revoked", k.revokedAt() != null)
                                .build());
                    }
                    out.add(JsonObject.builder()
                            .put("account_id", a.accountId())
                            .put("roles", Json.strings(a.roles()))
                            .put("permissions", Json.strings(a.permissions()))
                            .put("tenant_ids", Json.strings(a.tenantIds()))
                            .put("status", a.status())
                            .put("keys", Json.array(keys))
                            .build());
                }
                spec.commandLine().getOut().println(JsonWriter.pretty(JsonObject.builder().put("accounts", Json.array(out)).build()));
                spec.commandLine().getOut().flush();
                return 0;
            } catch (DgException e) {
                return fail(spec, e.message());
            }
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true, description = "Add a token to an account and print it.")
    static final class Rotate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "<db>", description = "the SQLite database file of dg serve (or a jdbc:postgresql: URL)")
        String db;

        @Parameters(index = "1", paramLabel = "<account_id>", description = "the account")
        String id;

        @Override
        public Integer call() {
            try (Database database = open(db)) {
                Accounts accounts = accounts(database);
                if (accounts.store().account(id).isEmpty()) {
                    return fail(spec, "Service account not found: " + id);
                }
                Accounts.IssuedKey key = accounts.rotate(id, null, "cli");
                spec.commandLine().getOut().println(JsonWriter.canonicalLenient(JsonObject.builder()
                        .put("account_id", id).put("key_id", key.keyId()).put("token", key.token()).build()));
                spec.commandLine().getOut().flush();
                return 0;
            } catch (DgException e) {
                return fail(spec, e.message());
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke an account's tokens (all, or those starting with --token-prefix).")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "<db>", description = "the SQLite database file of dg serve (or a jdbc:postgresql: URL)")
        String db;

        @Parameters(index = "1", paramLabel = "<account_id>", description = "the account")
        String id;

        @Option(names = "--token-prefix", paramLabel = "<prefix>", description = "revoke only the tokens starting with this (their display prefix)")
        String prefix;

        @Override
        public Integer call() {
            try (Database database = open(db)) {
                Accounts accounts = accounts(database);
                Optional<ServiceAccount> account = accounts.store().account(id);
                if (account.isEmpty()) {
                    return fail(spec, "Service account not found: " + id);
                }
                List<String> revoked = new ArrayList<>();
                for (AccountKey k : account.get().keys()) {
                    if (k.revokedAt() == null && (prefix == null || k.displayPrefix().startsWith(prefix)
                            || prefix.startsWith(k.displayPrefix()))) {
                        if (accounts.revoke(k.keyId(), "cli")) {
                            revoked.add(k.keyId());
                        }
                    }
                }
                if (revoked.isEmpty()) {
                    return fail(spec, "no active token of '" + id + "' matches");
                }
                spec.commandLine().getOut().println(JsonWriter.canonicalLenient(JsonObject.builder()
                        .put("account_id", id).put("revoked_key_ids", Json.strings(revoked)).build()));
                spec.commandLine().getOut().flush();
                return 0;
            } catch (DgException e) {
                return fail(spec, e.message());
            }
        }
    }

    @Command(name = "bootstrap", mixinStandardHelpOptions = true,
            description = "Create the default trio reader-<prefix>, writer-<prefix>, admin-<prefix> and print their tokens once.")
    static final class Bootstrap implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "<db>", description = "the SQLite database file of dg serve (or a jdbc:postgresql: URL)")
        String db;

        @Option(names = "--prefix", defaultValue = "main", paramLabel = "<prefix>")
        String prefix;

        @Option(names = "--tenant", defaultValue = "default", paramLabel = "<tenant>")
        String tenant;

        @Option(names = "--include-release-demo", description = "also grant the tenant release-demo")
        boolean releaseDemo;

        @Override
        public Integer call() {
            List<String> tenants = releaseDemo ? List.of(tenant, "release-demo") : List.of(tenant);
            record Spec(String id, List<String> roles, List<String> permissions) {
            }
            List<Spec> trio = List.of(
                    new Spec("reader-" + prefix, List.of("reader"), List.of()),
                    new Spec("writer-" + prefix, List.of("writer"), List.of(Permissions.WORKFLOW_ASSIGN, Permissions.WORKFLOW_REVIEW)),
                    new Spec("admin-" + prefix, List.of("admin"), Permissions.ALL));
            try (Database database = open(db)) {
                Accounts accounts = accounts(database);
                for (Spec t : trio) {
                    if (accounts.store().account(t.id()).isPresent()) {
                        return fail(spec, "Service account '" + t.id() + "' already exists");
                    }
                }
                List<Json> out = new ArrayList<>();
                for (Spec t : trio) {
                    Accounts.Created c = accounts.create(t.id(), null, t.roles(), t.permissions(), tenants, null, "cli")
                            .orElseThrow();
                    out.add(JsonObject.builder()
                            .put("account_id", t.id())
                            .put("roles", Json.strings(t.roles()))
                            .put("permissions", Json.strings(t.permissions()))
                            .put("tenant_ids", Json.strings(tenants))
                            .put("tokens", Json.strings(List.of(c.key().token())))
                            .build());
                }
                spec.commandLine().getOut().println(JsonWriter.pretty(JsonObject.builder()
                        .put("operator_console_account_id", "admin-" + prefix)
                        .put("service_accounts", Json.array(out))
                        .build()));
                spec.commandLine().getOut().flush();
                return 0;
            } catch (DgException e) {
                return fail(spec, e.message());
            }
        }
    }
}
