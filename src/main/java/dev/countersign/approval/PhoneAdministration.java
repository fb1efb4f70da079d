package dev.countersign.approval;

import dev.countersign.audit.AuditEvent;
import dev.countersign.people.Actor;
import dev.countersign.people.Enrollment;
import dev.countersign.people.PhoneNumber;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An admin's (or operator's) hand on someone's phone: removing it after a loss, or enrolling one
 * directly from the command line. Every change is audited.
 */
public final class PhoneAdministration {

    private final Store store;
    private final ApprovalPolicy policy;
    private final RequestTransitions transitions;
    private final Clock clock;

    PhoneAdministration(Store store, ApprovalPolicy policy, RequestTransitions transitions,
                        Clock clock) {
        this.store = store;
        this.policy = policy;
        this.transitions = transitions;
        this.clock = clock;
    }

    /** The outcome of an admin reset. */
    public sealed interface Reset {
        record Done(Actor user, boolean hadPhone,
                    List<ApprovalRequest> cancelled) implements Reset {
        }

        record Refused(String message) implements Reset {
        }
    }

    /**
     * {@code /approve admin reset @user}: for people who lost their phone. Their open requests end
     * too (their codes went to the lost phone). Audited; the caller tells the user.
     */
    public Reset adminReset(Actor admin, Actor user) {
        if (!policy.isAdmin(admin)) {
            return new Reset.Refused("Only Countersign admins (ADMIN_USER_IDS) can reset a phone.");
        }
        return resetPhone(admin.userId(), user);
    }

    /** The reset itself, also used by the operator's command line ({@code actor = operator}). */
    public Reset.Done resetPhone(String actor, Actor user) {
        return store.write(tx -> {
            Instant now = clock.instant();
            boolean hadPhone = tx.enrollments().remove(user, now);
            tx.challenges().forgetFailures(user);
            List<ApprovalRequest> cancelled = new ArrayList<>();
            // openOf returns a page at a time: keep going until none is left open.
            boolean endedSome = true;
            while (endedSome) {
                endedSome = false;
                for (ApprovalRequest request : tx.requests().openOf(user)) {
                    Optional<ApprovalRequest> ended = transitions.end(tx, request,
                            RequestStatus.CANCELLED, actor, "phone reset by an admin", now);
                    ended.ifPresent(cancelled::add);
                    endedSome |= ended.isPresent();
                }
            }
            tx.audit().append(AuditEvent.of("enrollment.reset", null, user.installationId(),
                    actor, Map.of("user", user.userId(), "had_phone",
                            Boolean.toString(hadPhone))), now);
            return new Reset.Done(user, hadPhone, cancelled);
        });
    }

    /** Stores {@code phone} directly: the operator's command line, where the operator vouches. */
    public Enrollment enrollDirectly(String actor, Actor user, PhoneNumber phone) {
        return store.write(tx -> {
            Instant now = clock.instant();
            Enrollment enrollment = tx.enrollments().enroll(user, phone, now);
            tx.audit().append(AuditEvent.of("enrollment.changed", null, user.installationId(),
                    actor, Map.of("user", user.userId(), "phone_last4", phone.lastFour(),
                            "how", "operator command line")), now);
            return enrollment;
        });
    }
}
