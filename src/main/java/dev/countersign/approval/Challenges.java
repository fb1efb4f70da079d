package dev.countersign.approval;

import dev.countersign.people.Actor;
import dev.countersign.otp.DeliveryChannel;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stored challenges (one per code sent). Part of a {@link Transaction}. */
public interface Challenges {

    /** Stores a new challenge and returns it with its id. */
    CodeChallenge insert(CodeChallenge challenge);

    Optional<CodeChallenge> find(long id);

    /** The newest challenge of the request that is PENDING or SENT, if any. */
    Optional<CodeChallenge> current(String requestId);

    /** All challenges of a request, oldest first. */
    List<CodeChallenge> ofRequest(String requestId);

    /** The request's codes that checked out, oldest first: what approved or enrolled it. */
    default List<CodeChallenge> verifiedOf(String requestId) {
        return ofRequest(requestId).stream()
                .filter(challenge -> challenge.state() == ChallengeState.VERIFIED).toList();
    }

    /**
     * Claims a PENDING code for sending, in the database, so that of several instances (or
     * threads) asked to send it at once exactly one asks the provider. A claim older than
     * {@code staleBefore} was left by a process that died mid-send and may be taken over.
     * Returns false if someone else holds it or it is no longer PENDING.
     */
    boolean claimForSending(long id, Instant now, Instant staleBefore);

    /** PENDING → SENT with the provider's id. Returns false if the challenge is no longer PENDING. */
    boolean markSent(long id, String providerId, DeliveryChannel channel, Instant sentAt);

    /** Moves to {@code to} only from {@code from}. */
    boolean transition(long id, ChallengeState from, ChallengeState to);

    /** PENDING challenges of open requests: codes that were never sent (
            e.g. cut off by a crash). */
    List<CodeChallenge> unsentOfOpenRequests();

    /** Ends every PENDING or SENT challenge of the request. */
    int killOpen(String requestId, ChallengeState to);

    /**
     * Takes one attempt if the challenge is SENT and has attempts left. Taken before asking the
     * provider, so concurrent guesses cannot exceed the budget.
     */
    boolean reserveAttempt(long id);

    /** Gives back an attempt whose check never happened (timeout, network). */
    void refundAttempt(long id);

    void updateExpiry(long id, Instant expiresAt);

    /** A wrong code typed by {@code person}, for the daily cap on failures. */
    void recordFailure(Actor person, Instant at);

    /** Wrong codes typed by {@code person} since {@code since}. */
    int failuresSince(Actor person, Instant since);

    /** The oldest of them (to say when the cap frees up). */
    Optional<Instant> oldestFailureSince(Actor person, Instant since);

    /** An admin's reset: the person starts afresh. */
    void forgetFailures(Actor person);

    /** Codes sent to (or being sent to) this person since {@code since}. */
    int countSentTo(Actor verifier, Instant since);

    /** Codes sent in the workspace since {@code since}. */
    int countSentInTeam(String teamId, Instant since);

    /** When the last code for this request was created, if ever. */
    Optional<Instant> lastCreated(String requestId);

    /** Oldest send counted for this person since {@code since} (to say when a limit frees up). */
    Optional<Instant> oldestSentTo(Actor verifier, Instant since);

    Optional<Instant> oldestSentInTeam(String teamId, Instant since);
}
