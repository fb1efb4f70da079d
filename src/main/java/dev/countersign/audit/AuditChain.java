package dev.countersign.audit;

import dev.countersign.keys.Canonical;
import dev.countersign.keys.DerivedKeys;
import dev.countersign.keys.KeyRing;
import dev.countersign.keys.Purpose;
import java.time.Instant;
import java.util.Optional;

/**
 * The chain over audit rows: each row's hash is HMAC-SHA256, under the server's
 * {@link Purpose#AUDIT_CHAIN} key, over a canonical, length-prefixed encoding of its own fields
 * and the previous row's hash. Changing, removing or reordering any row breaks every hash after
 * it, and without the key nobody can write a chain that verifies again.
 *
 * <p>Rows written before the server had a key were chained with plain SHA-256. A database
 * upgraded with such rows gets a {@link #REKEYED} row, keyed, right after the last of them; the
 * {@link Verifier} accepts plain rows only before such a row, so a trail re-chained with plain
 * SHA-256 (which anyone can compute) never verifies.
 */
public final class AuditChain {

    /** The "previous hash" of the first row. */
    public static final String GENESIS = "0".repeat(64);

    /** The keyed row that ends the plain SHA-256 rows of an upgraded database. */
    public static final String REKEYED = "audit.rekeyed";

    private static final String VERSION = "countersign-audit-v2";

    private final DerivedKeys keys;

    public AuditChain(KeyRing ring) {
        this.keys = ring.derive(Purpose.AUDIT_CHAIN);
    }

    public String hash(long id, Instant at, String type, String requestId, String teamId,
                       String actor, String details, String previousHash) {
        return keys.mac(fields(VERSION, id, at, type, requestId, teamId, actor, details,
                previousHash));
    }

    /** Whether the row's hash is its keyed hash under the current or a previous key. */
    public boolean verifies(AuditRecord row) {
        return keys.verifies(row.hash(), fields(VERSION, row.id(), row.at(), row.type(),
                row.requestId(), row.teamId(), row.actor(), row.details(), row.previousHash()));
    }

    /** The plain SHA-256 hash rows had before the server had a key. */
    public static String legacyHashOf(AuditRecord row) {
        return Canonical.sha256("countersign-audit-v1" + Canonical.of(fields(null, row.id(),
                row.at(), row.type(), row.requestId(), row.teamId(), row.actor(), row.details(),
                row.previousHash())));
    }

    private static String[] fields(String version, long id, Instant at, String type,
                                   String requestId, String teamId, String actor, String details,
                                   String previousHash) {
        String[] fields = {Long.toString(id), Long.toString(at.toEpochMilli()), type, requestId,
                teamId, actor, details, previousHash};
        if (version == null) {
            return fields;
        }
        String[] all = new String[fields.length + 1];
        all[0] = version;
        System.arraycopy(fields, 0, all, 1, fields.length);
        return all;
    }

    public Verifier verifier() {
        return new Verifier(this);
    }

    /**
     * Checks rows one by one, in id order. Ids start at 1 and are contiguous (see
     * {@code JdbcAuditTrail}), so a row removed anywhere, the first one included, is noticed; only
     * rows cut off the end of the trail leave no trace in the chain itself (an anchor kept outside
     * the database catches that: {@link AuditAnchor}).
     */
    public static final class Verifier {
        private final AuditChain chain;
        private String expectedPrevious = GENESIS;
        private long expectedId = 1;
        private long checked;
        /** Plain rows seen and not yet closed by a {@link #REKEYED} row: the first one's id. */
        private long firstOpenLegacyRow;
        private boolean keyedSeen;

        Verifier(AuditChain chain) {
            this.chain = chain;
        }

        /** What is wrong at {@code rowId}; {@code wrongKey}: not written with these keys. */
        public record Problem(long rowId, String reason, boolean wrongKey) {
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
                return Optional.of(tampered(row.id(),
                        "its previous-hash does not match the row before it"));
            }
            Optional<Problem> problem = hashProblem(row);
            if (problem.isPresent()) {
                return problem;
            }
            expectedPrevious = row.hash();
            expectedId = row.id() + 1;
            return Optional.empty();
        }

        /**
         * The problem left at the end of the trail: plain SHA-256 rows that no keyed
         * {@link #REKEYED} row follows were chained by someone without the key.
         */
        public Optional<Problem> finish() {
            if (firstOpenLegacyRow == 0) {
                return Optional.empty();
            }
            return Optional.of(tampered(firstOpenLegacyRow, "it and the rows after it are "
                    + "chained with plain SHA-256 and no keyed re-key row follows them: the "
                    + "trail was re-chained by someone without the key"));
        }

        public long checked() {
            return checked;
        }

        private Optional<Problem> hashProblem(AuditRecord row) {
            if (chain.verifies(row)) {
                if (firstOpenLegacyRow != 0 && !REKEYED.equals(row.type())) {
                    return Optional.of(tampered(firstOpenLegacyRow, "plain SHA-256 rows end "
                            + "without the keyed re-key row written when the key was added"));
                }
                firstOpenLegacyRow = 0;
                keyedSeen = true;
                return Optional.empty();
            }
            boolean plain = AuditChain.legacyHashOf(row).equals(row.hash());
            if (plain && !keyedSeen && !REKEYED.equals(row.type())) {
                if (firstOpenLegacyRow == 0) {
                    firstOpenLegacyRow = row.id();
                }
                return Optional.empty();
            }
            if (plain) {
                return Optional.of(tampered(row.id(), "it is chained with plain SHA-256, which "
                        + "only rows written before the key existed may be: re-chained by "
                        + "someone without the key"));
            }
            if (!keyedSeen) {
                // The first keyed row verifies under no key we know: most likely the trail is
                // fine and this is the wrong key, not a change to that one row.
                return Optional.of(new Problem(row.id(), "it does not verify under the current "
                        + "or any previous key: the trail was not written with this key (check "
                        + "COUNTERSIGN_SECRET_KEY and COUNTERSIGN_PREVIOUS_KEYS)", true));
            }
            return Optional.of(tampered(row.id(),
                    "its contents do not match its hash (changed after it was written)"));
        }

        private static Problem tampered(long rowId, String reason) {
            return new Problem(rowId, reason, false);
        }

        private Problem outOfSequence(AuditRecord row) {
            if (row.id() < expectedId) {
                return tampered(row.id(), "row " + row.id() + " is out of order after row "
                        + (expectedId - 1));
            }
            String missing = row.id() == expectedId + 1 ? "row " + expectedId + " is"
                    : "rows " + expectedId + " to " + (row.id() - 1) + " are";
            return tampered(expectedId, missing + " missing before row " + row.id());
        }
    }
}
