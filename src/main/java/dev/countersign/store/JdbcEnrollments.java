package dev.countersign.store;

import dev.countersign.keys.PhoneCipher;
import dev.countersign.people.Actor;
import dev.countersign.people.Enrollment;
import dev.countersign.people.Enrollments;
import dev.countersign.people.PhoneNumber;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code enrollments} table. The only place a full phone number is kept, and only encrypted
 * ({@link PhoneCipher}, bound to the person's row); the last four digits stay readable for
 * display. A number that does not decrypt for its row (copied from another row, written in the
 * clear by hand, or under a key this server doesn't know) counts as no phone: codes never go
 * to a number someone put in the file.
 */
final class JdbcEnrollments implements Enrollments {

    private static final Logger log = LoggerFactory.getLogger(JdbcEnrollments.class);

    private final Sql sql;
    private final PhoneCipher phones;

    JdbcEnrollments(Sql sql, PhoneCipher phones) {
        this.sql = sql;
        this.phones = phones;
    }

    /** What a person's phone is encrypted for: their row. */
    static String boundTo(String teamId, String userId) {
        return "enrollments|" + teamId + "|" + userId;
    }

    @Override
    public Optional<Enrollment> find(Actor user) {
        record Row(String phone, Instant enrolledAt, Instant changedAt) {
        }
        Optional<Row> found = sql.one("SELECT phone, enrolled_at, changed_at FROM enrollments "
                        + "WHERE installation_id = ? AND user_id = ? AND phone IS NOT NULL",
                row -> new Row(row.getString("phone"), Sql.instant(row, "enrolled_at"),
                        Sql.instant(row, "changed_at")),
                user.installationId(), user.userId());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> phone = phones.decrypt(found.get().phone(),
                boundTo(user.installationId(), user.userId()));
        if (phone.isEmpty()) {
            log.error("the enrolled phone of {} does not decrypt for its row with the configured "
                    + "keys: treated as not enrolled", user);
            return Optional.empty();
        }
        return Optional.of(new Enrollment(user, new PhoneNumber(phone.get()),
                found.get().enrolledAt(), found.get().changedAt()));
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
                user.installationId(), user.userId(),
                phones.encrypt(phone.e164(), boundTo(user.installationId(), user.userId())),
                phone.lastFour(), at, changedAt);
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
