package dev.countersign.people;

import dev.countersign.people.Enrollment;
import dev.countersign.people.PhoneNumber;
import dev.countersign.people.Actor;
import java.time.Instant;
import java.util.Optional;

/** Stored enrollments; one phone per person. Part of a {@code Transaction}. */
public interface Enrollments {

    Optional<Enrollment> find(Actor user);

    /** Whether the person ever had a phone (now removed by an admin reset). */
    boolean wasEverEnrolled(Actor user);

    /** Stores {@code phone} as the person's; a replaced or reset phone marks it as a change. */
    Enrollment enroll(Actor user, PhoneNumber phone, Instant at);

    /** Removes the person's phone; returns whether there was one. */
    boolean remove(Actor user, Instant at);
}
