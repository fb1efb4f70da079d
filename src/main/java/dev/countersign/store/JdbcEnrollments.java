package dev.countersign.store;

import dev.countersign.people.Actor;
import dev.countersign.people.Enrollment;
import dev.countersign.people.Enrollments;
import dev.countersign.people.PhoneNumber;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code enrollments} table. The only place a full phone number is kept. */
final class JdbcEnrollments implements Enrollments {

    private final Sql sql;

    JdbcEnrollments(Sql sql) {
        this.sql = sql;
    }

    @Override
    public Optional<Enrollment> find(Actor user) {
        return sql.one("SELECT phone, enrolled_at, changed_at FROM enrollments "
                        + "WHERE installation_id = ? AND user_id = ? AND phone IS NOT NULL",
                row -> new Enrollment(user, new PhoneNumber(row.getString("phone")),
                        Sql.instant(row, "enrolled_at"), Sql.instant(row, "changed_at")),
                user.installationId(), user.userId());
    }

    @Override
    public boolean wasEverEnrolled(Actor user) {
        return sql.count("SELECT COUNT(*) FROM enrollments WHERE installation_id = ? "
                + "AND user_id = ?", user.installationId(), user.userId()) > 0;
    }

    @Override
    public Enrollment enroll(Actor user, PhoneNumber phone, Instant at) {
        // Any earlier row (a phone, or a reset) makes this a change: the large-approval hold
        // applies.
        Instant changedAt = wasEverEnrolled(user) ? at : null;
        sql.update("INSERT INTO enrollments (installation_id, user_id, phone, phone_last4, "
                        + "enrolled_at, changed_at, removed_at) VALUES (?, ?, ?, ?, ?, ?, NULL) "
                        + "ON CONFLICT (installation_id, user_id) DO UPDATE SET "
                        + "phone = excluded.phone, phone_last4 = excluded.phone_last4, "
                        + "enrolled_at = excluded.enrolled_at, changed_at = excluded.changed_at, "
                        + "removed_at = NULL",
                user.installationId(), user.userId(), phone.e164(), phone.lastFour(), at,
                changedAt);
        return new Enrollment(user, phone, at, changedAt);
    }

    /** Every installation with an enrollment row (for the operator's tools). */
    List<String> teamIds() {
        return sql.list("SELECT DISTINCT installation_id FROM enrollments",
                row -> row.getString(1));
    }

    @Override
    public boolean remove(Actor user, Instant at) {
        return sql.update("UPDATE enrollments SET phone = NULL, removed_at = ? "
                + "WHERE installation_id = ? AND user_id = ? AND phone IS NOT NULL", at,
                user.installationId(), user.userId()) == 1;
    }
}
