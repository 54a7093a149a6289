package org.decisiongraph.store.access;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.decisiongraph.store.sql.SqlTime;
import org.decisiongraph.core.event.Timestamps;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.Dialect;
import org.decisiongraph.store.sql.Handle;

/**
 * Console users, their tenant memberships and login records (migration {@code V7__console_users.sql}). Thread-safe.
 * Timestamps are TEXT (RFC 3339) on SQLite and TIMESTAMPTZ on Postgres.
 */
public final class ConsoleUsers {
    private static final String USER_COLUMNS = "user_id, display_name, password_hash, status, created_at, last_login_at,"
            + " failed_login_count, locked_until";
    private static final String LOGIN_COLUMNS = "login_id_sha256, user_id, created_at, last_seen_at, expires_at, csrf_token";

    private final Database db;
    private final boolean postgres;

    public ConsoleUsers(Database db) {
        this.db = Objects.requireNonNull(db, "db");
        this.postgres = db.dialect() == Dialect.POSTGRES;
    }

    /** Stores a new user with its memberships; false (nothing written) when the id exists. */
    public boolean create(ConsoleUser user) {
        return db.tx().write(h -> {
            PreparedStatement exists = h.prepare("SELECT 1 FROM dg_users WHERE user_id = ?");
            exists.setString(1, user.userId());
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
            PreparedStatement ps = h.prepare("INSERT INTO dg_users (" + USER_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
            ps.setString(1, user.userId());
            ps.setString(2, user.displayName());
            ps.setString(3, user.passwordHash());
            ps.setString(4, user.status());
            setTime(ps, 5, user.createdAt());
            setTime(ps, 6, user.lastLoginAt());
            ps.setInt(7, user.failedLoginCount());
            setTime(ps, 8, user.lockedUntil());
            ps.executeUpdate();
            for (ConsoleUser.Membership m : user.memberships()) {
                putMembership(h, user.userId(), m);
            }
            return true;
        });
    }

    /** Adds or replaces the user's membership of {@code m.tenantId()}; false when the user does not exist. */
    public boolean putMembership(String userId, ConsoleUser.Membership m) {
        return db.tx().write(h -> {
            PreparedStatement exists = h.prepare("SELECT 1 FROM dg_users WHERE user_id = ?");
            exists.setString(1, userId);
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
            }
            putMembership(h, userId, m);
            return true;
        });
    }

    private void putMembership(Handle h, String userId, ConsoleUser.Membership m) throws SQLException {
        PreparedStatement ps = h.prepare("INSERT INTO dg_user_memberships (user_id, tenant_id, roles_json, permissions_json)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (user_id, tenant_id) DO UPDATE SET roles_json = excluded.roles_json,"
                + " permissions_json = excluded.permissions_json");
        ps.setString(1, userId);
        ps.setString(2, m.tenantId());
        ps.setString(3, AccessStore.listJson(m.roles()));
        ps.setString(4, AccessStore.listJson(m.permissions()));
        ps.executeUpdate();
    }

    /** The user with its memberships (ordered by tenant id), or empty. */
    public Optional<ConsoleUser> find(String userId) {
        return db.tx().read(h -> load(h, userId));
    }

    /** Every user with its memberships, ordered by id. */
    public List<ConsoleUser> list() {
        return db.tx().read(h -> {
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = h.prepare("SELECT user_id FROM dg_users ORDER BY user_id").executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            List<ConsoleUser> out = new ArrayList<>();
            for (String id : ids) {
                load(h, id).ifPresent(out::add);
            }
            return out;
        });
    }

    private Optional<ConsoleUser> load(Handle h, String userId) throws SQLException {
        PreparedStatement ps = h.prepare("SELECT " + USER_COLUMNS + " FROM dg_users WHERE user_id = ?");
        ps.setString(1, userId);
        ConsoleUser u;
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            u = new ConsoleUser(rs.getString("user_id"), rs.getString("display_name"), rs.getString("password_hash"),
                    rs.getString("status"), getTime(rs, "created_at"), getTime(rs, "last_login_at"),
                    rs.getInt("failed_login_count"), getTime(rs, "locked_until"), List.of());
        }
        PreparedStatement ms = h.prepare("SELECT tenant_id, roles_json, permissions_json FROM dg_user_memberships"
                + " WHERE user_id = ? ORDER BY tenant_id");
        ms.setString(1, userId);
        List<ConsoleUser.Membership> members = new ArrayList<>();
        try (ResultSet rs = ms.executeQuery()) {
            while (rs.next()) {
                members.add(new ConsoleUser.Membership(rs.getString(1), AccessStore.parseList(rs.getString(2)), AccessStore.parseList(rs.getString(3))));
            }
        }
        return Optional.of(u.withMemberships(members));
    }

    /** A failed login: count it, and lock the user until {@code lockUntil} when the count reaches {@code limit}. */
    public void recordFailure(String userId, int limit, Instant lockUntil) {
        db.tx().write(h -> {
            PreparedStatement ps = h.prepare("UPDATE dg_users SET failed_login_count = failed_login_count + 1,"
                    + " locked_until = CASE WHEN failed_login_count + 1 >= ? THEN ? ELSE locked_until END WHERE user_id = ?");
            ps.setInt(1, limit);
            setTime(ps, 2, lockUntil);
            ps.setString(3, userId);
            ps.executeUpdate();
            return null;
        });
    }

    /** A successful login: resets the failure count and lock, sets {@code last_login_at}, stores the login record. */
    public void recordLogin(ConsoleLogin login) {
        db.tx().write(h -> {
            PreparedStatement ps = h.prepare("UPDATE dg_users SET failed_login_count = 0, locked_until = NULL,"
                    + " last_login_at = ? WHERE user_id = ?");
            setTime(ps, 1, login.createdAt());
            ps.setString(2, login.userId());
            ps.executeUpdate();
            PreparedStatement ins = h.prepare("INSERT INTO dg_console_logins (" + LOGIN_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)");
            ins.setString(1, login.loginIdSha256());
            ins.setString(2, login.userId());
            setTime(ins, 3, login.createdAt());
            setTime(ins, 4, login.lastSeenAt());
            setTime(ins, 5, login.expiresAt());
            ins.setString(6, login.csrfToken());
            ins.executeUpdate();
            return null;
        });
    }

    /** The login record with this hash, or empty. */
    public Optional<ConsoleLogin> login(String loginIdSha256) {
        return db.tx().read(h -> {
            PreparedStatement ps = h.prepare("SELECT " + LOGIN_COLUMNS + " FROM dg_console_logins WHERE login_id_sha256 = ?");
            ps.setString(1, loginIdSha256);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.<ConsoleLogin>empty();
                }
                return Optional.of(new ConsoleLogin(rs.getString(1), rs.getString(2), getTime(rs, "created_at"),
                        getTime(rs, "last_seen_at"), getTime(rs, "expires_at"), rs.getString(6)));
            }
        });
    }

    /** Moves {@code last_seen_at} of a login forward. */
    public void touchLogin(String loginIdSha256, Instant at) {
        db.tx().write(h -> {
            PreparedStatement ps = h.prepare("UPDATE dg_console_logins SET last_seen_at = ? WHERE login_id_sha256 = ?");
            setTime(ps, 1, at);
            ps.setString(2, loginIdSha256);
            ps.executeUpdate();
            return null;
        });
    }

    /** Deletes one login record; false when there was none. */
    public boolean deleteLogin(String loginIdSha256) {
        return db.tx().write(h -> {
            PreparedStatement ps = h.prepare("DELETE FROM dg_console_logins WHERE login_id_sha256 = ?");
            ps.setString(1, loginIdSha256);
            return ps.executeUpdate() == 1;
        });
    }

    /** Replaces the password hash and deletes every login of the user; false when the user does not exist. */
    public boolean setPassword(String userId, String passwordHash) {
        return db.tx().write(h -> {
            PreparedStatement ps = h.prepare("UPDATE dg_users SET password_hash = ?, failed_login_count = 0, locked_until = NULL"
                    + " WHERE user_id = ?");
            ps.setString(1, passwordHash);
            ps.setString(2, userId);
            if (ps.executeUpdate() != 1) {
                return false;
            }
            PreparedStatement del = h.prepare("DELETE FROM dg_console_logins WHERE user_id = ?");
            del.setString(1, userId);
            del.executeUpdate();
            return true;
        });
    }

    /** Sets the user's status; disabling also deletes its logins. False when the user does not exist. */
    public boolean setStatus(String userId, String status) {
        return db.tx().write(h -> {
            PreparedStatement ps = h.prepare("UPDATE dg_users SET status = ? WHERE user_id = ?");
            ps.setString(1, status);
            ps.setString(2, userId);
            if (ps.executeUpdate() != 1) {
                return false;
            }
            if (!ConsoleUser.ACTIVE.equals(status)) {
                PreparedStatement del = h.prepare("DELETE FROM dg_console_logins WHERE user_id = ?");
                del.setString(1, userId);
                del.executeUpdate();
            }
            return true;
        });
    }

    /** Deletes login records that expired before {@code now}; returns how many. */
    public int purgeExpiredLogins(Instant now) {
        return db.tx().write(h -> {
            PreparedStatement ps = h.prepare("DELETE FROM dg_console_logins WHERE expires_at < ?");
            setTime(ps, 1, now);
            return ps.executeUpdate();
        });
    }

    private void setTime(PreparedStatement ps, int index, Instant t) throws SQLException {
        SqlTime.set(ps, index, t, postgres);
    }

    private Instant getTime(ResultSet rs, String column) throws SQLException {
        return SqlTime.get(rs, column, postgres);
    }
}
