package dev.countersign.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.approval.Action;
import dev.countersign.approval.ActionDigest;
import dev.countersign.approval.ApprovalRequest;
import dev.countersign.approval.ChallengePurpose;
import dev.countersign.approval.ChallengeState;
import dev.countersign.approval.CodeChallenge;
import dev.countersign.approval.ReplyTo;
import dev.countersign.approval.RequestStatus;
import dev.countersign.otp.DeliveryChannel;
import dev.countersign.people.Actor;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import dev.countersign.testing.StorageEngine;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workspace's daily send count, kept per minute so it stays cheap, must still be exactly
 * the number of codes (abandoned ones left out) created after the moment asked about.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(StorageEngine.class)
class TeamCodeCountsTest {

    private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
    private static final String TEAM = "T0001";

    @Parameter
    StorageEngine engine;
    @TempDir
    Path directory;
    private StorageEngine.TestDatabase storage;
    private Database database;
    private SqliteStore store;
    private String requestId;

    @BeforeEach
    void open() {
        storage = engine.create(directory);
        database = StorageEngine.open(storage.url());
        store = new SqliteStore(database);
        requestId = request();
    }

    @AfterEach
    void close() {
        database.close();
        storage.close();
    }

    @Test
    void codesInThePartMinuteBeforeTheWindowAreLeftOutAndAbandonedOnesTakenBack() {
        code(TEAM, START.plusSeconds(30));
        code(TEAM, START.plusSeconds(70));
        long abandoned = code(TEAM, START.plusSeconds(75));
        code(TEAM, START.plus(Duration.ofMinutes(5)));
        code("T0OTHER", START.plusSeconds(80));

        assertThat(count(START.plusSeconds(45))).isEqualTo(3);
        store.write(tx -> tx.challenges().transition(abandoned, ChallengeState.PENDING,
                ChallengeState.ABANDONED));
        assertThat(count(START.plusSeconds(45))).isEqualTo(2);
        assertThat(count(START)).isEqualTo(3);
        assertThat(count(START.plus(Duration.ofMinutes(5)))).isZero();
    }

    @Test
    void theCountMatchesCountingEveryCodeForRandomTimesAndAbandons() {
        Random random = new Random(20260302L);
        record Made(Instant at, boolean abandoned) {
        }
        List<Made> made = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Instant at = START.plusMillis(random.nextLong(Duration.ofHours(30).toMillis()));
            long id = code(TEAM, at);
            boolean abandon = random.nextInt(5) == 0;
            if (abandon) {
                store.write(tx -> tx.challenges().transition(id, ChallengeState.PENDING,
                        ChallengeState.ABANDONED));
            }
            made.add(new Made(at, abandon));
        }

        for (int i = 0; i < 60; i++) {
            Instant since = START.plusMillis(random.nextLong(Duration.ofHours(31).toMillis()));
            long expected = made.stream()
                    .filter(code -> !code.abandoned() && code.at().isAfter(since)).count();

            assertThat(count(since)).as("since %s", since).isEqualTo(expected);
        }
    }

    private int count(Instant since) {
        return store.read(tx -> tx.challenges().countSentInTeam(TEAM, since));
    }

    private long code(String team, Instant at) {
        return store.write(tx -> tx.challenges().insert(new CodeChallenge(0, requestId,
                new Actor(team, "UALICE"), ChallengePurpose.REQUESTER, DeliveryChannel.SMS,
                "0123", null, ChallengeState.PENDING, 0, 3, at, at.plusSeconds(300)))).id();
    }

    private String request() {
        Actor alice = new Actor(TEAM, "UALICE");
        Action action = new Action.Generic("rotate the production keys");
        String id = "request-1";
        ApprovalRequest request = new ApprovalRequest(id, "CS-ABCDEF", alice, action,
                ActionDigest.of(id, alice, action, START), RequestStatus.AWAITING_CODE, null,
                ReplyTo.NOWHERE, START, START.plusSeconds(300), null, null);
        store.write(tx -> {
            tx.requests().insert(request, null);
            return null;
        });
        return id;
    }
}
