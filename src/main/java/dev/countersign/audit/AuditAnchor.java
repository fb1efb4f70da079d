package dev.countersign.audit;

import dev.countersign.keys.DerivedKeys;
import dev.countersign.keys.KeyRing;
import dev.countersign.keys.Purpose;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The signed head of the audit trail: its last row's id and hash and the time, with an HMAC
 * over them under the server's {@link Purpose#AUDIT_ANCHOR} key. Logged every hour (and by
 * {@code audit anchor}); a copy kept outside the database (a log sink) later proves that the
 * trail still holds that row, unchanged: the one thing the chain cannot show by itself is rows
 * cut off its end.
 */
public final class AuditAnchor {

    private static final Pattern LINE = Pattern.compile(
            "row=(\\d+) hash=([0-9a-f]{64}) at=(\\S+) mac=([0-9a-f]{64})");
    private static final String VERSION = "countersign-anchor-v1";

    private final DerivedKeys keys;

    public AuditAnchor(KeyRing ring) {
        this.keys = ring.derive(Purpose.AUDIT_ANCHOR);
    }

    /** One anchor; {@link #line} is how it is logged and how {@code --anchor} takes it. */
    public record Anchor(long rowId, String hash, Instant at, String mac) {
        public String line() {
            return "row=" + rowId + " hash=" + hash + " at=" + at + " mac=" + mac;
        }
    }

    /** What checking a saved anchor against the trail found. */
    public sealed interface Check {
        /** The row is there with the anchored hash. */
        record Holds(Anchor anchor) implements Check {
        }

        /** The anchor's MAC does not verify: not made with these keys, or edited. */
        record NotGenuine(Anchor anchor) implements Check {
        }

        /** The trail ends before the anchored row: rows were cut off its end. */
        record RowMissing(Anchor anchor, long lastRowId) implements Check {
        }

        /** The anchored row is there with another hash: the trail was rewritten. */
        record HashDiffers(Anchor anchor) implements Check {
        }
    }

    /** The signed head of {@code trail} now; empty while the trail has no row. */
    public Optional<Anchor> head(AuditReader trail, Instant now) {
        Instant at = Instant.ofEpochMilli(now.toEpochMilli());
        return trail.last().map(row -> new Anchor(row.id(), row.hash(), at,
                keys.mac(VERSION, Long.toString(row.id()), row.hash(),
                        Long.toString(at.toEpochMilli()))));
    }

    /** An anchor in the logged form (the line may carry a log prefix); empty if none is in it. */
    public static Optional<Anchor> parse(String text) {
        Matcher matcher = LINE.matcher(text);
        if (!matcher.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Anchor(Long.parseLong(matcher.group(1)), matcher.group(2),
                    Instant.parse(matcher.group(3)), matcher.group(4)));
        } catch (DateTimeParseException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public Check check(Anchor anchor, AuditReader trail) {
        if (!keys.verifies(anchor.mac(), VERSION, Long.toString(anchor.rowId()), anchor.hash(),
                Long.toString(anchor.at().toEpochMilli()))) {
            return new Check.NotGenuine(anchor);
        }
        List<AuditRecord> row = trail.after(anchor.rowId() - 1, 1);
        if (row.isEmpty() || row.getFirst().id() != anchor.rowId()) {
            return new Check.RowMissing(anchor, trail.last().map(AuditRecord::id).orElse(0L));
        }
        return row.getFirst().hash().equals(anchor.hash()) ? new Check.Holds(anchor)
                : new Check.HashDiffers(anchor);
    }
}
