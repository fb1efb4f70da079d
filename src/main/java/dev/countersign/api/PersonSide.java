package dev.countersign.api;

import dev.countersign.approval.ApprovalRequest;

/**
 * The person's side of a request another system asks for, in Slack: who an email address
 * belongs to, the direct message asking them to review it, and word when the system cancels it.
 * Implemented by the Slack adapter.
 */
public interface PersonSide {

    /**
     * The installation people are keyed by (the enterprise of an org-wide install, else the
     * installed workspace): a person named by the API is the same one who uses Slack.
     */
    String installationId();

    /** The Slack user with this email address ({@code users.lookupByEmail}). */
    Lookup userByEmail(String email);

    /** Sends the person the review message with its button (after this returns). */
    void askToReview(ApprovalRequest request, String client);

    /** The asking system cancelled the request: the person's message and modal say so. */
    void cancelled(ApprovalRequest request, String client);

    /** Who an email address belongs to. */
    sealed interface Lookup {
        record Found(String userId) implements Lookup {
        }

        record NotFound() implements Lookup {
        }

        /** Slack could not say (down, rate limited, missing scope): {@code error} says which. */
        record Unavailable(String error) implements Lookup {
        }
    }
}
