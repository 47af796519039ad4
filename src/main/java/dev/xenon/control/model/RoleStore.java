package dev.xenon.control.model;

import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dev.xenon.store.Rows.instant;
import static java.util.Objects.requireNonNull;

/** Roles rows; passwords are encrypted on the way in and decrypted on the way out ({@link PasswordCipher}). */
public final class RoleStore {
    private static final String COLUMNS =
            "branch_id, name, password, scram_verifier, protected, no_login, created_at, updated_at";

    private final PasswordCipher cipher;

    public RoleStore(PasswordCipher cipher) {
        this.cipher = requireNonNull(cipher, "cipher is null");
    }

    public void insert(Handle h, Role r) {
        h.createUpdate("insert into roles (" + COLUMNS + ") values (:branch, :name, :password, :verifier, :protected, "
                        + ":noLogin, :created, :updated)")
                .bind("branch", r.branchId()).bind("name", r.name()).bind("password", seal(r.password(), r.name()))
                .bind("verifier", r.scramVerifier()).bind("protected", r.isProtected()).bind("noLogin", r.noLogin())
                .bind("created", r.createdAt()).bind("updated", r.updatedAt())
                .execute();
    }

    public void setPassword(Handle h, String branchId, String name, String password, String verifier, Instant at) {
        h.createUpdate("update roles set password = :password, scram_verifier = :verifier, updated_at = :at "
                        + "where branch_id = :branch and name = :name")
                .bind("branch", branchId).bind("name", name).bind("password", seal(password, name))
                .bind("verifier", verifier)
                .bind("at", at).execute();
    }

    public void delete(Handle h, String branchId, String name) {
        h.createUpdate("delete from roles where branch_id = :branch and name = :name")
                .bind("branch", branchId).bind("name", name).execute();
    }

    public Optional<Role> find(Handle h, String branchId, String name) {
        return h.createQuery("select " + COLUMNS + " from roles where branch_id = :branch and name = :name")
                .bind("branch", branchId).bind("name", name).map((rs, ctx) -> map(rs)).findOne();
    }

    /**
     * The SCRAM verifier of a role that may log in: what the proxy checks on every connection, read without
     * decrypting the stored password.
     */
    public Optional<String> loginVerifier(Handle h, String branchId, String name) {
        return h.createQuery("select scram_verifier from roles where branch_id = :branch and name = :name "
                        + "and not no_login")
                .bind("branch", branchId).bind("name", name).mapTo(String.class).findOne();
    }

    public List<Role> list(Handle h, String branchId) {
        return h.createQuery("select " + COLUMNS + " from roles where branch_id = :branch order by created_at, name")
                .bind("branch", branchId).map((rs, ctx) -> map(rs)).list();
    }

    /** A child branch starts with its parent's roles, passwords included, as in Neon. */
    public void deleteAll(Handle h, String branchId) {
        h.createUpdate("delete from roles where branch_id = :branch").bind("branch", branchId).execute();
    }

    public void copy(Handle h, String fromBranch, String toBranch) {
        h.createUpdate("insert into roles (" + COLUMNS + ") select :to, name, password, scram_verifier, protected, "
                        + "no_login, created_at, updated_at from roles where branch_id = :from")
                .bind("from", fromBranch).bind("to", toBranch).execute();
    }

    /**
     * Encrypts the passwords stored in plain text before encryption existed, and checks that this server's key
     * opens the encrypted ones (a wrong key should stop the start, not fail a reveal_password later). Returns how
     * many were encrypted.
     */
    public int sealPlaintext(Handle h) {
        h.createQuery("select name, password from roles where password like :prefix limit 1")
                .bind("prefix", PasswordCipher.PREFIX + "%")
                .map((rs, ctx) -> cipher.decrypt(rs.getString("password"), rs.getString("name"))).findOne();
        List<Role> plain = h.createQuery("select " + COLUMNS + " from roles where password is not null "
                        + "and password not like :prefix for update")
                .bind("prefix", PasswordCipher.PREFIX + "%").map((rs, ctx) -> map(rs)).list();
        for (Role r : plain) {
            h.createUpdate("update roles set password = :password where branch_id = :branch and name = :name")
                    .bind("password", seal(r.password(), r.name())).bind("branch", r.branchId())
                    .bind("name", r.name()).execute();
        }
        return plain.size();
    }

    private String seal(String password, String roleName) {
        return password == null ? null : cipher.encrypt(password, roleName);
    }

    private Role map(ResultSet rs) throws SQLException {
        String name = rs.getString("name");
        String stored = rs.getString("password");
        return new Role(rs.getString("branch_id"), name, stored == null ? null : cipher.decrypt(stored, name),
                rs.getString("scram_verifier"), rs.getBoolean("protected"), rs.getBoolean("no_login"),
                instant(rs, "created_at"), instant(rs, "updated_at"));
    }
}
