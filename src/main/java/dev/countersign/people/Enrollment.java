package dev.countersign.people;

import dev.countersign.people.PhoneNumber;
import dev.countersign.people.Actor;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The phone a person receives codes on.
 *
 * @param changedAt when this phone replaced an earlier one (or came after an admin reset); null for
 *                  a first enrollment. Large approvals wait a while after a change.
 */
public record Enrollment(Actor user, PhoneNumber phone, Instant enrolledAt, Instant changedAt) {

    public Enrollment {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(phone, "phone");
        Objects.requireNonNull(enrolledAt, "enrolledAt");
    }

    /** Whether {@code now} is still within {@code hold} of the last phone change. */
    public boolean recentlyChanged(Instant now, Duration hold) {
        return changedAt != null && now.isBefore(changedAt.plus(hold));
    }
}
