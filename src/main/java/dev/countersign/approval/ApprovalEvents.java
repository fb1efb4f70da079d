package dev.countersign.approval;

import dev.countersign.otp.DeliveryChannel;

/**
 * Hears what the domain did, for counting ({@code GET /metrics}): requests opened and ended,
 * codes sent, codes checked. Only domain values cross it; whoever listens picks bounded labels
 * from them (a kind, a status, a channel), never a person, phone or payee.
 *
 * <p>Called on the paths that answer people, some of them inside a write transaction: an
 * implementation must be quick and must not throw (in-memory counters are). A count made
 * inside a transaction that then rolls back (a database failure) is not taken back.
 */
public interface ApprovalEvents {

    /** Hears nothing. */
    ApprovalEvents NONE = new ApprovalEvents() {
    };

    /** A request was stored and its first code is about to go out. */
    default void opened(ApprovalRequest request) {
    }

    /** A request was asked for and refused before anything was stored or sent. */
    default void refused(RequestOpening.Reason reason) {
    }

    /** A request reached a final status ({@code APPROVED}, {@code LOCKED}, …). */
    default void ended(ApprovalRequest request, RequestStatus status) {
    }

    /** The provider took a code for {@code channel}. */
    default void codeSent(DeliveryChannel channel) {
    }

    /** The provider did not take a code (its failure is counted by the provider's client). */
    default void codeNotSent(DeliveryChannel channel) {
    }

    /** A code was not sent because a send limit or the resend cooldown said no. */
    default void codeRefused(DeliveryChannel channel) {
    }

    /** A typed code was checked (or could not be), with this outcome. */
    default void codeChecked(CodeVerification.Check check) {
    }
}
