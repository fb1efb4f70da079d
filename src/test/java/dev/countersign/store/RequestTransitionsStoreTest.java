package dev.countersign.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.approval.Action;
import dev.countersign.approval.ActionDigest;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.ReplyTo;
import dev.countersign.approval.RequestStatus;
import dev.countersign.people.Actor;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import dev.countersign.testing.StorageEngine;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The state machine as the database enforces it: a request moves only from a status the caller
 * expects and {@link RequestStatus}'s table allows, and a refused move changes nothing at all.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(StorageEngine.class)
class RequestTransitionsStoreTest {

    private static final Instant NOW = Instant.parse("2026-01-05T09:00:00Z");
    private static final Actor ALICE = new Actor("T0001", "UALICE");

    @Parameter
    StorageEngine engine;
    @TempDir
    Path directory;
    private StorageEngine.TestDatabase storage;
    private Database database;
    private SqliteStore store;

    @BeforeEach
    void open() {
        storage = engine.create(directory);
        database = StorageEngine.open(storage.url());
        store = new SqliteStore(database);
    }

    @AfterEach
    void close() {
        database.close();
        storage.close();
    }

    @ParameterizedTest(name = "{0} is never left")
    @EnumSource(value = RequestStatus.class,
            names = {"APPROVED", "REJECTED", "LOCKED", "EXPIRED", "CANCELLED", "FAILED"})
    void aTerminalRequestMovesNowhereEvenWhenTheCallerExpectsItsStatus(RequestStatus terminal) {
        for (RequestStatus to : RequestStatus.values()) {
            String id = stored(terminal);

            boolean moved = store.write(tx -> tx.requests().transition(id, Set.of(terminal), to,
                    NOW.plusSeconds(5), "UMALLORY", "forced"));

            assertThat(moved).as("%s -> %s", terminal, to).isFalse();
            ApprovalRequest after = store.read(tx -> tx.requests().find(id)).orElseThrow();
            assertThat(after.status()).isEqualTo(terminal);
            assertThat(after.decidedBy()).isNull();
            assertThat(after.statusDetail()).isNull();
        }
    }

    @Test
    void aMoveFromAStatusOtherThanTheOneStoredChangesNothing() {
        String id = stored(RequestStatus.AWAITING_CODE);

        boolean moved = store.write(tx -> tx.requests().transition(id,
                Set.of(RequestStatus.AWAITING_SECOND_APPROVER), RequestStatus.REJECTED, NOW,
                "UBOB", "no"));

        assertThat(moved).isFalse();
        assertThat(store.read(tx -> tx.requests().find(id)).orElseThrow().status())
                .isEqualTo(RequestStatus.AWAITING_CODE);
    }

    @Test
    void aMoveTheTableDoesNotAllowIsRefusedWhateverTheCallerExpects() {
        // AWAITING_CODE may not go straight to REJECTED: only a second approver rejects.
        String id = stored(RequestStatus.AWAITING_CODE);

        boolean moved = store.write(tx -> tx.requests().transition(id,
                EnumSet.allOf(RequestStatus.class), RequestStatus.REJECTED, NOW, "UBOB", "no"));

        assertThat(moved).isFalse();
        assertThat(store.read(tx -> tx.requests().find(id)).orElseThrow().status())
                .isEqualTo(RequestStatus.AWAITING_CODE);
    }

    @Test
    void anAllowedMoveHappensOnceAndRecordsWhoAndWhen() {
        String id = stored(RequestStatus.AWAITING_CODE);

        boolean first = store.write(tx -> tx.requests().transition(id, RequestStatus.OPEN,
                RequestStatus.APPROVED, NOW.plusSeconds(5), "UALICE", null));
        boolean second = store.write(tx -> tx.requests().transition(id, RequestStatus.OPEN,
                RequestStatus.CANCELLED, NOW.plusSeconds(6), "UALICE", "too late"));

        assertThat(first).isTrue();
        assertThat(second).isFalse();
        ApprovalRequest after = store.read(tx -> tx.requests().find(id)).orElseThrow();
        assertThat(after.status()).isEqualTo(RequestStatus.APPROVED);
        assertThat(after.decidedAt()).isEqualTo(NOW.plusSeconds(5));
        assertThat(after.decidedBy()).isEqualTo("UALICE");
    }

    private String stored(RequestStatus status) {
        String id = UUID.randomUUID().toString();
        Action action = new Action.Generic("rotate the production keys");
        ApprovalRequest request = new ApprovalRequest(id, "CS-" + id.substring(0, 6).toUpperCase()
                .replaceAll("[^A-Z2-9]", "X"), ALICE, action, ActionDigest.of(id, ALICE, action,
                NOW), status, null, ReplyTo.NOWHERE, NOW, NOW.plusSeconds(300), null, null);
        store.write(tx -> {
            tx.requests().insert(request, null);
            return null;
        });
        return id;
    }
}
