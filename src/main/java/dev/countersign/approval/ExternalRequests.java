package dev.countersign.approval;

import dev.countersign.otp.DeliveryChannel;
import dev.countersign.people.Actor;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Requests that another system asks for (the REST API) or a Workflow Builder step: opened under
 * the slash command's rules ({@link RequestOpening}), but without a person's command to answer:
 * the request waits, with its code unsent, until its person opens it from the message Slack
 * shows them. An API client sees and cancels only the requests it made.
 */
public final class ExternalRequests {

    private final Store store;
    private final RequestOpening opening;
    private final RequestCancellation cancellation;
    private final Clock clock;

    ExternalRequests(Store store, RequestOpening opening, RequestCancellation cancellation,
                     Clock clock) {
        this.store = store;
        this.opening = opening;
        this.cancellation = cancellation;
        this.clock = clock;
    }

    /** An {@code Idempotency-Key} and a hash of the body it came with. */
    public record IdempotencyKey(String key, String bodyHash) {
        public IdempotencyKey {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(bodyHash, "bodyHash");
        }
    }

    /** The outcome of asking. */
    public sealed interface Asked {
        /** Stored as {@code AWAITING_CODE}; its code goes out when its person opens it. */
        record Created(ApprovalRequest request, CodeChallenge challenge) implements Asked {
        }

        /** The same key and body came before: the request they made then. */
        record Repeated(ApprovalRequest request) implements Asked {
        }

        /** The same key came before with another body: nothing done. */
        record KeyReused(ApprovalRequest earlier) implements Asked {
        }

        /** Nothing stored, nothing sent; {@code message} says why. */
        record Refused(RequestOpening.Reason reason, String message) implements Asked {
        }
    }

    /** A request as its asking system sees it, with the channel its code went by, if any. */
    public record Report(ApprovalRequest request, RequestOrigin origin,
                         Optional<DeliveryChannel> channel) {
    }

    /**
     * Opens a request for {@code requester} that ends {@code lifetime} from now if nobody opens
     * it. One durable write: the request, who asked, and the idempotency key commit together.
     */
    public Asked ask(Actor requester, Action action, RequestOrigin origin, Duration lifetime,
                     Optional<IdempotencyKey> idempotency) {
        // Keys are the client's own; a workflow's (its execution id) live apart from them.
        String keyOwner = origin.client() != null ? origin.client()
                : "(" + origin.source().wireName() + ")";
        Asked asked = store.write(tx -> {
            if (idempotency.isPresent()) {
                Optional<Origins.Remembered> earlier = tx.origins().byIdempotencyKey(
                        keyOwner, idempotency.get().key());
                if (earlier.isPresent()) {
                    ApprovalRequest request = tx.requests().find(earlier.get().requestId())
                            .orElseThrow();
                    return earlier.get().bodyHash().equals(idempotency.get().bodyHash())
                            ? new Asked.Repeated(request) : new Asked.KeyReused(request);
                }
            }
            return switch (opening.open(tx, requester, action, ReplyTo.NOWHERE, lifetime)) {
                case RequestOpening.Opening.Refused(var reason, String message) ->
                        new Asked.Refused(reason, message);
                case RequestOpening.Opening.Ready(var request, var challenge) -> {
                    tx.origins().record(request.id(), origin);
                    idempotency.ifPresent(key -> tx.origins().rememberIdempotencyKey(
                            keyOwner, key.key(), key.bodyHash(), request.id(),
                            clock.instant()));
                    yield new Asked.Created(request, challenge);
                }
            };
        });
        // Counted once committed, as a request typed in Slack is; a repeat was counted before.
        switch (asked) {
            case Asked.Created(var request, var challenge) ->
                    opening.counted(new RequestOpening.Opening.Ready(request, challenge));
            case Asked.Refused(var reason, var message) ->
                    opening.counted(new RequestOpening.Opening.Refused(reason, message));
            case Asked.Repeated _, Asked.KeyReused _ -> {
            }
        }
        return asked;
    }

    /** Request {@code id}, if {@code client} asked for it. */
    public Optional<Report> find(String client, String id) {
        return store.read(tx -> tx.requests().find(id).flatMap(request -> {
            RequestOrigin origin = tx.origins().of(id);
            if (!client.equals(origin.client())) {
                return Optional.empty();
            }
            return Optional.of(new Report(request, origin, tx.challenges().verifiedOf(id)
                    .stream()
                    .filter(challenge -> challenge.purpose() == ChallengePurpose.REQUESTER)
                    .map(CodeChallenge::channel)
                    .findFirst()));
        }));
    }

    /** Who asked for request {@code id}; {@link RequestOrigin#SLACK} if nobody else. */
    public RequestOrigin originOf(String id) {
        return store.read(tx -> tx.origins().of(id));
    }

    /**
     * Cancels request {@code id} for {@code client}, which must have asked for it; empty when it
     * did not (or there is no such request).
     */
    public Optional<RequestCancellation.Cancellation> cancel(String client, String id) {
        return find(client, id).map(report -> cancellation.cancel(id,
                report.request().requester(), "cancelled by " + client + " through the API"));
    }
}
