package dev.countersign.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The hash chain over audit rows: each row's hash is SHA-256 over a canonical, length-prefixed
 * encoding of its own fields and the previous row's hash, so changing, removing or reordering any
 * row breaks every hash after it.
 */
public final class AuditChain {

    /** The "previous hash" of the first row. */
    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {
    }

    public static String hash(long id, Instant at, String type, String requestId, String teamId,
                              String actor, String details, String previousHash) {
        StringBuilder canonical = new StringBuilder("countersign-audit-v1");
        field(canonical, Long.toString(id));
        field(canonical, Long.toString(at.toEpochMilli()));
        field(canonical, type);
        field(canonical, requestId);
        field(canonical, teamId);
        field(canonical, actor);
        field(canonical, details);
        field(canonical, previousHash);
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(
                    digest.digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    public static String hashOf(AuditRecord row) {
        return hash(row.id(), row.at(), row.type(), row.requestId(), row.teamId(), row.actor(),
                row.details(), row.previousHash());
    }

    /**
     * Checks rows one by one, in id order. Ids start at 1 and are contiguous (see
     * {@code JdbcAuditTrail}), so a row removed anywhere, the first one included, is noticed; only
     * rows cut off the end of the trail leave no trace in the chain itself.
     */
    public static final class Verifier {
        private String expectedPrevious = GENESIS;
        private long expectedId = 1;
        private long checked;

        /** What is wrong at {@code rowId}: a changed row, or the first of a run of missing ones. */
        public record Problem(long rowId, String reason) {
        }

        /** The problem with this row, if any; call for every row in id order. */
        public Optional<String> check(AuditRecord row) {
            return inspect(row).map(Problem::reason);
        }

        /** Like {@link #check}, naming the first bad row: for a gap, the first missing one. */
        public Optional<Problem> inspect(AuditRecord row) {
            checked++;
            if (row.id() != expectedId) {
                return Optional.of(outOfSequence(row));
            }
            if (!row.previousHash().equals(expectedPrevious)) {
                return Optional.of(new Problem(row.id(),
                        "its previous-hash does not match the row before it"));
            }
            if (!hashOf(row).equals(row.hash())) {
                return Optional.of(new Problem(row.id(),
                        "its contents do not match its hash (changed after it was written)"));
            }
            expectedPrevious = row.hash();
            expectedId = row.id() + 1;
            return Optional.empty();
        }

        public long checked() {
            return checked;
        }

        private Problem outOfSequence(AuditRecord row) {
            if (row.id() < expectedId) {
                return new Problem(row.id(), "row " + row.id() + " is out of order after row "
                        + (expectedId - 1));
            }
            String missing = row.id() == expectedId + 1 ? "row " + expectedId + " is"
                    : "rows " + expectedId + " to " + (row.id() - 1) + " are";
            return new Problem(expectedId, missing + " missing before row " + row.id());
        }
    }

    private static void field(StringBuilder canonical, String value) {
        if (value == null) {
            canonical.append("|-");
        } else {
            canonical.append('|').append(value.length()).append(':').append(value);
        }
    }
}
