package dev.bulwark.control.api;

import dev.bulwark.control.auth.Principal;
import dev.bulwark.control.store.FieldError;
import io.javalin.http.Context;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import static dev.bulwark.control.api.ApiSupport.JSON_TYPE;
import static dev.bulwark.control.api.ApiSupport.json;
import static dev.bulwark.control.api.ApiSupport.write;

/**
 * Runs creates, honouring {@code Idempotency-Key}: the first request with a key runs and its
 * answer is stored; a retry with the same key and request gets that answer again (header
 * {@code Idempotent-Replayed: true}); the same key with a different request is refused.
 * Failed creates are not stored, so a retry after a refusal is evaluated afresh.
 */
final class Creates {
    /** A create's answer; {@code replayBody} is what a retry gets (e.g. without a one-time secret). */
    record Response(int status, Object body, Object replayBody) {
        Response(int status, Object body) { this(status, body, body); }
    }

    private final IdempotencyStore store;

    Creates(IdempotencyStore store) { this.store = store; }

    void run(Context ctx, Principal p, Supplier<Response> action) {
        String key = ctx.header("Idempotency-Key");
        if (key == null) {
            Response r = action.get();
            json(ctx, r.status(), r.body());
            return;
        }
        if (key.isBlank() || key.length() > 200) throw ApiException.badRequest("Idempotency-Key", "must be 1 to 200 characters");
        String fingerprint = IdempotencyStore.fingerprint(ctx.method().name(), ctx.path(), ctx.body());
        Optional<IdempotencyStore.Stored> prior = store.find(p.tokenId(), key);
        if (prior.isPresent()) {
            if (!prior.get().requestHash().equals(fingerprint)) {
                throw new ApiException(422, "Idempotency key reused", "this Idempotency-Key was used for a different request",
                        List.of(new FieldError("Idempotency-Key", "already used for a different request")));
            }
            ctx.header("Idempotent-Replayed", "true");
            ctx.status(prior.get().status()).contentType(JSON_TYPE).result(prior.get().body());
            return;
        }
        Response r = action.get();
        store.save(p.tokenId(), key, fingerprint, r.status(), write(r.replayBody()));
        json(ctx, r.status(), r.body());
    }
}
