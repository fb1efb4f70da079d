package dev.countersign.approval;

import dev.countersign.people.Actor;
import java.time.Instant;
import java.util.Objects;

/**
 * One request to approve an {@link Action} (or to enroll a phone), as stored. The {@code digest}
 * is its keyed {@link ActionBinding}, fixed when the request is made and re-checked before
 * anything is approved or executed.
 *
 * @param reference short id people can type: {@code CS-7K3P9Q}
 */
public record ApprovalRequest(
        String id,
        String reference,
        Actor requester,
        Action action,
        String digest,
        RequestStatus status,
        String statusDetail,
        ReplyTo replyTo,
        Instant createdAt,
        Instant expiresAt,
        Instant decidedAt,
        String decidedBy) {

    public ApprovalRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        replyTo = replyTo == null ? ReplyTo.NOWHERE : replyTo;
    }

    public boolean isEnrollment() {
        return action instanceof Action.PhoneEnrollment;
    }

    public ApprovalRequest withStatus(RequestStatus newStatus, Instant at, String by,
            String detail) {
        return new ApprovalRequest(id, reference, requester, action, digest, newStatus, detail,
                replyTo, createdAt, expiresAt, at, by);
    }
}
