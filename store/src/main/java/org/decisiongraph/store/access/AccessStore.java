package org.decisiongraph.store.access;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.decisiongraph.store.sql.SqlTime;
import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonArray;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonParser;
import org.decisiongraph.core.json.JsonString;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.Dialect;
import org.decisiongraph.store.sql.Handle;

/**
 * Service accounts, keys, tenants and the audit log of one {@link Database}. Thread-safe. Timestamps are
 * TEXT (RFC 3339, six fractional digits) on SQLite and TIMESTAMPTZ on Postgres.
 */
public final class AccessStore {
    private final Database db;
    private final boolean postgres;

    public AccessStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
        this.postgres = db.dialect() == Dialect.POSTGRES;
    }

    // --- service accounts ---------------------------------------------------------------------------

    /** Stores a new account with its first key; false (nothing written) when the id exists. */
    public boolean createAccount(ServiceAccount account, NewKey firstKey) {
        return db.tx().write(h -> {
            PreparedStatement exists = h.prepare("SELECT 1 FROM dg_service_accounts WHERE account_id = ?");
            exists.setString(1, account.accountId());
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
            PreparedStatement ps = h.prepare("INSERT INTO dg_service_accounts (account_id, display_name, roles_json,"
                    + " permissions_json, tenant_ids_json, status, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
            ps.setString(1, account.accountId());
            ps.setString(2, account.displayName());
            ps.setString(3, listJson(account.roles()));
            ps.setString(4, listJson(account.permissions()));
            ps.setString(5, listJson(account.tenantIds()));
            ps.setString(6, account.status());
            setTime(ps, 7, account.createdAt());
            ps.setString(8, account.createdBy());
            ps.executeUpdate();
            if (firstKey != null) {
                insertKey(h, firstKey);
            }
            return true;
        });
    }

    /** Adds a key to an existing account. */
    public void addKey(NewKey key) {
        db.tx().write(h -> {
            insertKey(h, key);
            return null;
        });
    }

    private void insertKey(Handle h, NewKey key) throws SQLException {
        PreparedStatement ps = h.prepare("INSERT INTO dg_service_account_keys (key_id, account_id, token_sha256,"
                + " display_prefix, created_at, created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
        ps.setString(1, key.keyId());
        ps.setString(2, key.accountId());
        ps.setString(3, key.tokenSha256());
        ps.setString(4, key.displayPrefix());
        setTime(ps, 5, key.createdAt());
        ps.setString(6, key.createdBy());
        setTime(ps, 7, key.expiresAt());
        ps.executeUpdate();
    }

    /** The key with this token hash and its account (whatever their state), or empty. */
    public Optional<KeyOwner> findByTokenHash(String tokenSha256) {
        return db.tx().read(h -> {
            PreparedStatement ps = h.prepare("SELECT " + KEY_COLUMNS + ", token_sha256 FROM dg_service_account_keys"
                    + " WHERE token_sha256 = ?");
            ps.setString(1, tokenSha256);
            AccountKey key;
            String stored;
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.<KeyOwner>empty();
                }
                key = readKey(rs);
                stored = rs.getString("token_sha256");
            }
            Optional<ServiceAccount> account = loadAccount(h, key.accountId());
            return account.map(a -> new KeyOwner(key, stored, a));
        });
    }

    /** Sets {@code last_used_at} of a key. */
    public void touchKey(String keyId, Instant at) {
        db.tx().write(h -> {
            PreparedStatement ps = h.prepare("UPDATE dg_service_account_keys SET last_used_at = ? WHERE key_id = ?");
            setTime(ps, 1, at);
            ps.setString(2, keyId);
            ps.executeUpdate();
            return null;
        });
    }

    /** Revokes a key; false when it does not exist or is already revoked. */
    public boolean revokeKey(String keyId, Instant at, String by) {
        return db.tx().write(h -> {
            PreparedStatement ps = h.prepare("UPDATE dg_service_account_keys SET revoked_at = ?, revoked_by = ?"
                    + " WHERE key_id = ? AND revoked_at IS NULL");
            setTime(ps, 1, at);
            ps.setString(2, by);
            ps.setString(3, keyId);
            return ps.executeUpdate() == 1;
        });
    }

    public Optional<ServiceAccount> account(String accountId) {
        return db.tx().read(h -> loadAccount(h, accountId));
    }

    /** Every account with its keys, ordered by id. */
    public List<ServiceAccount> accounts() {
        return db.tx().read(h -> {
            Map<String, ServiceAccount> byId = new LinkedHashMap<>();
            try (ResultSet rs = h.prepare("SELECT " + ACCOUNT_COLUMNS + " FROM dg_service_accounts ORDER BY account_id")
                    .executeQuery()) {
                while (rs.next()) {
                    ServiceAccount a = readAccount(rs);
                    byId.put(a.accountId(), a);
                }
            }
            Map<String, List<AccountKey>> keys = new LinkedHashMap<>();
            try (ResultSet rs = h.prepare("SELECT " + KEY_COLUMNS + " FROM dg_service_account_keys ORDER BY created_at, key_id")
                    .executeQuery()) {
                while (rs.next()) {
                    AccountKey k = readKey(rs);
                    keys.computeIfAbsent(k.accountId(), x -> new ArrayList<>()).add(k);
                }
            }
            List<ServiceAccount> out = new ArrayList<>();
            for (ServiceAccount a : byId.values()) {
                out.add(a.withKeys(keys.getOrDefault(a.accountId(), List.of())));
            }
            return out;
        });
    }

    /** Number of accounts with status {@code active}. */
    public long activeAccountCount() {
        return db.tx().read(h -> {
            try (ResultSet rs = h.prepare("SELECT COUNT(*) FROM dg_service_accounts WHERE status = 'active'").executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private Optional<ServiceAccount> loadAccount(Handle h, String accountId) throws SQLException {
        PreparedStatement ps = h.prepare("SELECT " + ACCOUNT_COLUMNS + " FROM dg_service_accounts WHERE account_id = ?");
        ps.setString(1, accountId);
        ServiceAccount a;
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            a = readAccount(rs);
        }
        PreparedStatement ks = h.prepare("SELECT " + KEY_COLUMNS + " FROM dg_service_account_keys WHERE account_id = ?"
                + " ORDER BY created_at, key_id");
        ks.setString(1, accountId);
        List<AccountKey> keys = new ArrayList<>();
        try (ResultSet rs = ks.executeQuery()) {
            while (rs.next()) {
                keys.add(readKey(rs));
            }
        }
        return Optional.of(a.withKeys(keys));
    }

    private static final String ACCOUNT_COLUMNS =
            "account_id, display_name, roles_json, permissions_json, tenant_ids_json, status, created_at, created_by";
    private static final String KEY_COLUMNS = "key_id, account_id, display_prefix, created_at, created_by, expires_at,"
            + " revoked_at, revoked_by, last_used_at";

    private ServiceAccount readAccount(ResultSet rs) throws SQLException {
        return new ServiceAccount(rs.getString("account_id"), rs.getString("display_name"),
                parseList(rs.getString("roles_json")), parseList(rs.getString("permissions_json")),
                parseList(rs.getString("tenant_ids_json")), rs.getString("status"), getTime(rs, "created_at"),
                rs.getString("created_by"), List.of());
    }

    private AccountKey readKey(ResultSet rs) throws SQLException {
        return new AccountKey(rs.getString("key_id"), rs.getString("account_id"), rs.getString("display_prefix"),
                getTime(rs, "created_at"), rs.getString("created_by"), getTime(rs, "expires_at"),
                getTime(rs, "revoked_at"), rs.getString("revoked_by"), getTime(rs, "last_used_at"));
    }

    // --- tenants ------------------------------------------------------------------------------------

    /** Registers a tenant; false (nothing written) when it exists. */
    public boolean createTenant(Tenant tenant) {
        return db.tx().write(h -> insertTenant(h, tenant) == 1);
    }

    /** Registers {@code tenantId} with origin {@code implicit} unless it is registered already. */
    public void registerImplicitTenant(String tenantId, Instant at) {
        db.tx().write(h -> insertTenant(h, new Tenant(tenantId, null, "implicit", at, null)));
    }

    private int insertTenant(Handle h, Tenant t) throws SQLException {
        PreparedStatement ps = h.prepare("INSERT INTO dg_tenants (tenant_id, display_name, origin, created_at, created_by)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id) DO NOTHING");
        ps.setString(1, t.tenantId());
        ps.setString(2, t.displayName());
        ps.setString(3, t.origin());
        setTime(ps, 4, t.createdAt());
        ps.setString(5, t.createdBy());
        return ps.executeUpdate();
    }

    public Optional<Tenant> tenant(String tenantId) {
        return db.tx().read(h -> {
            PreparedStatement ps = h.prepare("SELECT tenant_id, display_name, origin, created_at, created_by"
                    + " FROM dg_tenants WHERE tenant_id = ?");
            ps.setString(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(readTenant(rs)) : Optional.<Tenant>empty();
            }
        });
    }

    /** Every registered tenant, ordered by id. */
    public List<Tenant> tenants() {
        return db.tx().read(h -> {
            List<Tenant> out = new ArrayList<>();
            try (ResultSet rs = h.prepare("SELECT tenant_id, display_name, origin, created_at, created_by"
                    + " FROM dg_tenants ORDER BY tenant_id").executeQuery()) {
                while (rs.next()) {
                    out.add(readTenant(rs));
                }
            }
            return out;
        });
    }

    private Tenant readTenant(ResultSet rs) throws SQLException {
        return new Tenant(rs.getString("tenant_id"), rs.getString("display_name"), rs.getString("origin"),
                getTime(rs, "created_at"), rs.getString("created_by"));
    }

    // --- audit log ----------------------------------------------------------------------------------

    /**
     * Appends an audit row to its chain under the chain's lock (SQLite: the single writer; Postgres: a
     * transaction-scoped advisory lock), linking it to the chain's previous row.
     */
    public AuditEntry appendAudit(AuditRecord r) {
        return db.tx().write(h -> appendAudit(h, r));
    }

    /**
     * Appends an audit row inside the caller's write transaction (so that an operational change and its
     * audit row commit together). Same chain rules as {@link #appendAudit(AuditRecord)}.
     */
    public AuditEntry appendAudit(Handle h, AuditRecord r) throws SQLException {
        String chain = r.chainId();
        AuditRecord rec = new AuditRecord(r.tenantId(), r.recordedAt().truncatedTo(java.time.temporal.ChronoUnit.MICROS),
                r.actorKind(), r.actorId(), r.actorRoles(), r.action(), r.targetType(), r.targetId(), r.outcome(),
                r.reason(), r.errorCode(), r.requestId(), r.clientAddress(), r.details());
        {
            long id;
            if (postgres) {
                PreparedStatement lock = h.prepare("SELECT pg_advisory_xact_lock(hashtext(?))");
                lock.setString(1, "audit_log:" + chain);
                lock.execute();
                try (ResultSet rs = h.prepare("SELECT nextval(pg_get_serial_sequence('audit_log', 'audit_id'))").executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            } else {
                try (ResultSet rs = h.prepare("SELECT COALESCE(MAX(audit_id), 0) + 1 FROM audit_log").executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            PreparedStatement prevPs = h.prepare("SELECT entry_hash FROM audit_log WHERE chain_id = ?"
                    + " ORDER BY audit_id DESC LIMIT 1");
            prevPs.setString(1, chain);
            String prev = AuditEntry.GENESIS;
            try (ResultSet rs = prevPs.executeQuery()) {
                if (rs.next()) {
                    prev = rs.getString(1);
                }
            }
            String hash = AuditEntry.entryHash(prev, id, chain, rec);
            PreparedStatement ps = h.prepare("INSERT INTO audit_log (audit_id, chain_id, tenant_id, recorded_at, actor_kind,"
                    + " actor_id, actor_roles_json, action, target_type, target_id, outcome, reason, error_code, request_id,"
                    + " client_address, details_json, prev_hash, entry_hash)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            ps.setLong(1, id);
            ps.setString(2, chain);
            ps.setString(3, rec.tenantId());
            setTime(ps, 4, rec.recordedAt());
            ps.setString(5, rec.actorKind());
            ps.setString(6, rec.actorId());
            ps.setString(7, AuditEntry.rolesJson(rec));
            ps.setString(8, rec.action());
            ps.setString(9, rec.targetType());
            ps.setString(10, rec.targetId());
            ps.setString(11, rec.outcome());
            ps.setString(12, rec.reason());
            ps.setString(13, rec.errorCode());
            ps.setString(14, rec.requestId());
            ps.setString(15, rec.clientAddress());
            ps.setString(16, AuditEntry.detailsJson(rec));
            ps.setString(17, prev);
            ps.setString(18, hash);
            ps.executeUpdate();
            return new AuditEntry(id, chain, rec, prev, hash);
        }
    }

    /** One audit row by its id. */
    public Optional<AuditEntry> auditEntry(long auditId) {
        return db.tx().read(h -> {
            PreparedStatement ps = h.prepare("SELECT " + AUDIT_COLUMNS + " FROM audit_log WHERE audit_id = ?");
            ps.setLong(1, auditId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(readAudit(rs)) : Optional.<AuditEntry>empty();
            }
        });
    }

    /** Audit rows matching {@code q}, {@code audit_id} descending, at most {@code q.limit()}. */
    public List<AuditEntry> queryAudit(AuditQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + AUDIT_COLUMNS + " FROM audit_log WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        filter(sql, args, "tenant_id", q.tenantId());
        filter(sql, args, "action", q.action());
        filter(sql, args, "outcome", q.outcome());
        filter(sql, args, "actor_id", q.actorId());
        filter(sql, args, "target_type", q.targetType());
        filter(sql, args, "target_id", q.targetId());
        if (q.since() != null) {
            sql.append(" AND recorded_at > ?");
            args.add(q.since());
        }
        if (q.until() != null) {
            sql.append(" AND recorded_at <= ?");
            args.add(q.until());
        }
        if (q.beforeAuditId() != null) {
            sql.append(" AND audit_id < ?");
            args.add(q.beforeAuditId());
        }
        sql.append(" ORDER BY audit_id DESC LIMIT ?");
        args.add((long) q.limit());
        return db.tx().read(h -> {
            PreparedStatement ps = h.prepare(sql.toString());
            for (int i = 0; i < args.size(); i++) {
                Object a = args.get(i);
                switch (a) {
                    case String s -> ps.setString(i + 1, s);
                    case Long l -> ps.setLong(i + 1, l);
                    case Instant t -> setTime(ps, i + 1, t);
                    default -> throw new IllegalStateException("unexpected argument " + a);
                }
            }
            List<AuditEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(readAudit(rs));
                }
            }
            return out;
        });
    }

    /**
     * Recomputes every chain in {@code audit_id} order; returns the {@code audit_id} of the first row whose
     * link or hash does not match, or empty when every chain is intact.
     */
    public Optional<Long> firstBrokenAuditLink() {
        return db.tx().read(h -> {
            Map<String, String> last = new LinkedHashMap<>();
            try (ResultSet rs = h.prepare("SELECT " + AUDIT_COLUMNS + " FROM audit_log ORDER BY audit_id").executeQuery()) {
                while (rs.next()) {
                    AuditEntry e = readAudit(rs);
                    String expectedPrev = last.getOrDefault(e.chainId(), AuditEntry.GENESIS);
                    String expectedHash = AuditEntry.entryHash(expectedPrev, e.auditId(), e.chainId(), e.record());
                    if (!expectedPrev.equals(e.prevHash()) || !expectedHash.equals(e.entryHash())) {
                        return Optional.of(e.auditId());
                    }
                    last.put(e.chainId(), e.entryHash());
                }
            }
            return Optional.<Long>empty();
        });
    }

    private static void filter(StringBuilder sql, List<Object> args, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    private static final String AUDIT_COLUMNS = "audit_id, chain_id, tenant_id, recorded_at, actor_kind, actor_id,"
            + " actor_roles_json, action, target_type, target_id, outcome, reason, error_code, request_id, client_address,"
            + " details_json, prev_hash, entry_hash";

    private AuditEntry readAudit(ResultSet rs) throws SQLException {
        Json details = JsonParser.parse(rs.getString("details_json"));
        AuditRecord r = new AuditRecord(rs.getString("tenant_id"), getTime(rs, "recorded_at"), rs.getString("actor_kind"),
                rs.getString("actor_id"), parseList(rs.getString("actor_roles_json")), rs.getString("action"),
                rs.getString("target_type"), rs.getString("target_id"), rs.getString("outcome"), rs.getString("reason"),
                rs.getString("error_code"), rs.getString("request_id"), rs.getString("client_address"),
                details instanceof JsonObject o ? o : JsonObject.empty());
        return new AuditEntry(rs.getLong("audit_id"), rs.getString("chain_id"), r, rs.getString("prev_hash"),
                rs.getString("entry_hash"));
    }

    // --- readiness ----------------------------------------------------------------------------------

    /** {@code SELECT 1}; true when the database answers. */
    public boolean ping() {
        try {
            return db.tx().read(h -> {
                try (ResultSet rs = h.prepare("SELECT 1").executeQuery()) {
                    return rs.next();
                }
            });
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** True when the migration history has no failed entry and includes this package's migration (V3). */
    public boolean migrationsApplied() {
        return db.tx().read(h -> {
            try (ResultSet rs = h.prepare("SELECT version, success FROM flyway_schema_history").executeQuery()) {
                boolean access = false;
                while (rs.next()) {
                    if (!rs.getBoolean("success")) {
                        return false;
                    }
                    access |= "3".equals(rs.getString("version"));
                }
                return access;
            }
        });
    }

    // --- helpers ------------------------------------------------------------------------------------

    /** A string list as its column text (canonical JSON array); also used by {@link ConsoleUsers}. */
    static String listJson(List<String> values) {
        return JsonWriter.canonical(Json.strings(values));
    }

    /** The strings of a column's JSON array text (null or not an array: none). */
    static List<String> parseList(String text) {
        if (text == null) {
            return List.of();
        }
        Json j = JsonParser.parse(text);
        List<String> out = new ArrayList<>();
        if (j instanceof JsonArray a) {
            for (Json item : a) {
                if (item instanceof JsonString s) {
                    out.add(s.value());
                }
            }
        }
        return out;
    }

    private void setTime(PreparedStatement ps, int index, Instant t) throws SQLException {
        SqlTime.set(ps, index, t, postgres);
    }

    private Instant getTime(ResultSet rs, String column) throws SQLException {
        return SqlTime.get(rs, column, postgres);
    }
}
