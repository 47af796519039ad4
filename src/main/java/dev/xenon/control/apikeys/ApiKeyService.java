package dev.xenon.control.apikeys;

import dev.xenon.control.Access;
import dev.xenon.control.Check;
import dev.xenon.control.DomainException;
import dev.xenon.control.Ids;
import dev.xenon.control.access.Authorization;
import dev.xenon.control.model.ApiKey;
import dev.xenon.control.model.ApiKeyStore;
import dev.xenon.control.model.ProjectStore;
import dev.xenon.store.Db;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/** API keys: authentication of tokens and management of a user's personal keys. */
public final class ApiKeyService {
    public record Created(ApiKey key, String token) {}

    private record Use(Instant at, String address) {}

    private final Db db;
    private final ApiKeyStore keys;
    private final Authorization authorization;
    private final ProjectStore projects;
    private final Ids ids;
    private final Clock clock;
    // last_used_* is written in the background: a write on every authenticated request would double its cost.
    private final ConcurrentHashMap<Long, Use> pendingUses = new ConcurrentHashMap<>();

    public ApiKeyService(Db db, ApiKeyStore keys, Authorization authorization, ProjectStore projects, Ids ids,
                         Clock clock) {
        this.db = requireNonNull(db, "db is null");
        this.authorization = authorization;
        this.projects = projects;
        this.keys = keys;
        this.ids = ids;
        this.clock = clock;
    }

    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The caller a bearer token stands for, or empty when it is unknown or revoked. */
    public Optional<Access> authenticate(String token, String remoteAddress) {
        byte[] presented = hash(token);
        Optional<ApiKeyStore.Match> match = db.read(h -> keys.findByHash(h, presented));
        // The lookup is by hash, so timing reveals nothing about the token; compare anyway in constant time.
        if (match.isEmpty() || !MessageDigest.isEqual(match.get().tokenHash(), presented)
                || match.get().key().revoked()) {
            return Optional.empty();
        }
        pendingUses.put(match.get().key().id(), new Use(clock.instant(), remoteAddress));
        return Optional.of(match.get().key().access());
    }

    /** Writes the last-use times gathered since the previous flush. */
    public void flushUses() {
        if (pendingUses.isEmpty()) {
            return;
        }
        db.run(h -> pendingUses.keySet().forEach(id -> {
            Use use = pendingUses.remove(id);
            if (use != null) {
                keys.recordUse(h, id, use.at(), use.address());
            }
        }));
    }

    public List<ApiKey> listPersonal(Access access) {
        authorization.requirePersonalKey(access, "managing personal API keys");
        flushUses();
        return db.read(h -> keys.listPersonal(h, access.userId()));
    }

    public Created createPersonal(Access access, String name) {
        authorization.requirePersonalKey(access, "managing personal API keys");
        checkName(name);
        String token = ids.apiKeyToken();
        ApiKey key = db.write(h -> keys.insert(h, name, hash(token), Access.Kind.PERSONAL, access.userId(),
                access.userId(), null, null, clock.instant()));
        return new Created(key, token);
    }

    public ApiKey revokePersonal(Access access, long id) {
        authorization.requirePersonalKey(access, "managing personal API keys");
        flushUses();
        return db.write(h -> {
            ApiKey key = keys.find(h, id)
                    .filter(k -> k.kind() == Access.Kind.PERSONAL && access.userId().equals(k.userId()) && !k.revoked())
                    .orElseThrow(() -> DomainException.notFound("API key " + id + " not found"));
            keys.revoke(h, id);
            return keys.find(h, id).orElseThrow();
        });
    }

    public static void checkName(String name) {
        Check.required("key_name", name);
        Check.length("key_name", name, 1, 64);
    }

    /** An organization key, or a project-scoped one when {@code projectId} is given. Admins only. */
    public Created createForOrg(Access access, String orgId, String name, String projectId) {
        checkName(name);
        String token = ids.apiKeyToken();
        ApiKey key = db.write(h -> {
            authorization.requireOrgAdmin(h, access, orgId);
            if (projectId != null && projects.findAny(h, projectId)
                    .filter(p -> p.orgId().equals(orgId)).isEmpty()) {
                throw DomainException.notFound("project " + projectId + " not found in organization " + orgId);
            }
            Access.Kind kind = projectId == null ? Access.Kind.ORGANIZATION : Access.Kind.PROJECT;
            return keys.insert(h, name, hash(token), kind, null, access.userId(), orgId, projectId, clock.instant());
        });
        return new Created(key, token);
    }

    public List<ApiKey> listForOrg(Access access, String orgId) {
        flushUses();
        return db.read(h -> {
            authorization.requireOrgMember(h, access, orgId);
            return keys.listForOrg(h, orgId);
        });
    }

    public ApiKey revokeForOrg(Access access, String orgId, long id) {
        flushUses();
        return db.write(h -> {
            authorization.requireOrgAdmin(h, access, orgId);
            keys.find(h, id).filter(k -> orgId.equals(k.orgId()) && k.kind() != Access.Kind.PERSONAL && !k.revoked())
                    .orElseThrow(() -> DomainException.notFound("API key " + id + " not found"));
            keys.revoke(h, id);
            return keys.find(h, id).orElseThrow();
        });
    }
}
