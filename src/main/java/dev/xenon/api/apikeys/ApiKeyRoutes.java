package dev.xenon.api.apikeys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.api.ApiRouter;
import dev.xenon.api.Params;
import dev.xenon.control.Access;
import dev.xenon.control.DomainException;
import dev.xenon.control.apikeys.ApiKeyService;
import dev.xenon.control.model.ApiKey;
import io.javalin.http.Context;

import java.time.Instant;
import java.util.UUID;

public final class ApiKeyRoutes {
    /** Neon's {@code ApiKeysListResponseItem}. */
    public record ListItem(long id, String name, Instant createdAt, Creator createdBy, Instant lastUsedAt,
                           String lastUsedFromAddr) {}

    public record Creator(UUID id, String name, String image) {}

    /** Neon's {@code ApiKeyCreateResponse}. */
    public record CreatedKey(long id, String key, String name, Instant createdAt, UUID createdBy) {}

    /** Neon's {@code ApiKeyRevokeResponse}. */
    public record RevokedKey(long id, String name, Instant createdAt, UUID createdBy, Instant lastUsedAt,
                             String lastUsedFromAddr, boolean revoked) {}

    private final ApiKeyService keys;
    private final Params params;

    public ApiKeyRoutes(ApiKeyService keys, Params params) {
        this.keys = keys;
        this.params = params;
    }

    public void register(ApiRouter router) {
        router.get("/api_keys", (ctx, access) -> keys.listPersonal(access).stream().map(ApiKeyRoutes::item).toList());
        router.post("/api_keys", this::create);
        router.delete("/api_keys/{key_id}", (ctx, access) -> {
            ApiKey k = keys.revokePersonal(access, Params.longPath(ctx, "key_id"));
            return new RevokedKey(k.id(), k.name(), k.createdAt(), k.createdBy(), k.lastUsedAt(),
                    k.lastUsedFromAddr() == null ? "" : k.lastUsedFromAddr(), k.revoked());
        });
    }

    private Object create(Context ctx, Access access) throws Exception {
        JsonNode body = params.tree(ctx);
        JsonNode name = body.get("key_name");
        if (name == null || !name.isTextual()) {
            throw DomainException.invalid("key_name is required and must be a string");
        }
        ApiKeyService.Created created = keys.createPersonal(access, name.asText());
        ApiKey k = created.key();
        return new CreatedKey(k.id(), created.token(), k.name(), k.createdAt(), k.createdBy());
    }

    public static ListItem item(ApiKey k) {
        return new ListItem(k.id(), k.name(), k.createdAt(), new Creator(k.createdBy(), k.createdByName(), ""),
                k.lastUsedAt(), k.lastUsedFromAddr() == null ? "" : k.lastUsedFromAddr());
    }
}
