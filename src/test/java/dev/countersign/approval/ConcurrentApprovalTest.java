package dev.countersign.approval;

import dev.countersign.people.Actor;
import static dev.countersign.testing.ApprovalsHarness.ALICE;
import static dev.countersign.testing.ApprovalsHarness.ALICE_PHONE;
import static dev.countersign.testing.ApprovalsHarness.TEAM;
import static dev.countersign.testing.ApprovalsHarness.payment;
import static dev.countersign.testing.FakeSignalWire.DEFAULT_CODE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.countersign.approval.CodeDelivery.Delivery;
import dev.countersign.approval.CodeVerification.Check;
import dev.countersign.approval.RequestOpening.Opening;
import dev.countersign.audit.AuditRecord;
import dev.countersign.otp.DeliveryChannel;
import dev.countersign.testing.ApprovalsHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.Parameter;
import dev.countersign.testing.StorageEngine;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many submissions at once, on a real SQLite file and on PostgreSQL shared by three instances:
 * nothing is decided twice.
 */
@Timeout(60)
@ParameterizedClass(name = "on {0}")
@EnumSource(StorageEngine.class)
class ConcurrentApprovalTest {

    private static final int SUBMITTERS = 32;

    @Parameter
    StorageEngine engine;
    @TempDir
    Path directory;

    private ApprovalsHarness harness;
    private ExecutorService pool;
    private final List<ApprovalServices> instances = new ArrayList<>();

    @BeforeEach
    void start() {
        harness = new ApprovalsHarness(directory, engine);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (pool != null) {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        harness.close();
    }

    /**
     * The instance the {@code n}th submission reaches. On PostgreSQL, several instances share
     * the database, each with its own in-process locks: correctness must come from the database.
     * Synchronized: the submissions' threads ask for their instance all at once, and the first
     * of them makes the list.
     */
    private synchronized ApprovalServices instance(int n) {
        if (instances.isEmpty()) {
            instances.add(harness.approvals());
            if (engine == StorageEngine.POSTGRESQL) {
                instances.add(harness.anotherInstance());
                instances.add(harness.anotherInstance());
            }
        }
        return instances.get(n % instances.size());
    }

    @Test
    void manySimultaneousRightCodesApproveExactlyOnce() throws Exception {
        // Lenient: the provider says "right" every time, so only Countersign stands in the way.
        harness.signalWire.lenient(true);
        harness.enroll(ALICE, ALICE_PHONE);
        String id = harness.openAndSend(ALICE, payment("2500", "Acme Corp")).request().id();

        List<Check> checks = all(SUBMITTERS, SUBMITTERS,
                submitter -> instance(submitter).verification().verify(id, ALICE, DEFAULT_CODE));

        Map<Class<?>, Long> outcomes = checks.stream()
                .collect(Collectors.groupingBy(Object::getClass, Collectors.counting()));
        assertThat(outcomes).containsOnlyKeys(Check.Approved.class, Check.AlreadyDecided.class);
        assertThat(outcomes.get(Check.Approved.class)).isEqualTo(1);
        assertThat(outcomes.get(Check.AlreadyDecided.class)).isEqualTo(SUBMITTERS - 1);
        assertThat(harness.status(id)).isEqualTo(RequestStatus.APPROVED);
        assertThat(harness.auditTypes(id)).containsOnlyOnce("request.approved");
        assertThat(harness.auditChainProblems()).isEmpty();
    }

    @Test
    void aCodeGoneAtTheProviderWhileAnotherCheckOfItIsStillRunningLetsThatCheckDecide()
            throws Exception {
        // The first check's "correct" is slow to come back; the second hears 404 at once (the
        // code is single use) and must not lock what the first is about to approve. On another
        // instance, as behind a load balancer: no in-process lock orders the two.
        CountDownLatch firstAsked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        dev.countersign.otp.OneTimeCodes sender = harness.signalWire.codes();
        harness.codes(new dev.countersign.otp.OneTimeCodes() {
            @Override
            public dev.countersign.otp.StartResult start(dev.countersign.otp.CodeRequest request) {
                return sender.start(request);
            }

            @Override
            public dev.countersign.otp.VerifyResult verify(String challengeId, String code) {
                if (asked.getAndIncrement() > 0) {
                    return new dev.countersign.otp.VerifyResult.Gone();
                }
                firstAsked.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new dev.countersign.otp.VerifyResult.Correct();
            }

            @Override
            public String name() {
                return "held";
            }
        });
        harness.enroll(ALICE, ALICE_PHONE);
        String id = harness.openAndSend(ALICE, payment("2500", "Acme Corp")).request().id();
        pool = Executors.newFixedThreadPool(1);
        Future<Check> first = pool.submit(
                () -> harness.approvals().verification().verify(id, ALICE, DEFAULT_CODE));
        assertThat(firstAsked.await(10, TimeUnit.SECONDS)).isTrue();

        Check second = harness.anotherInstance().verification().verify(id, ALICE, DEFAULT_CODE);
        release.countDown();

        assertThat(second).isInstanceOf(Check.NotReady.class);
        assertThat(first.get(10, TimeUnit.SECONDS)).isInstanceOf(Check.Approved.class);
        assertThat(harness.status(id)).isEqualTo(RequestStatus.APPROVED);
        assertThat(harness.auditTypes(id)).doesNotContain("request.locked");
    }

    @Test
    void simultaneousRightCodesNeverLockAnApprovedRequestWhenTheProviderSays404() throws Exception {
        // Single use, as SignalWire really is: every submission after the first hears 404.
        harness.enroll(ALICE, ALICE_PHONE);
        String id = harness.openAndSend(ALICE, payment("2500", "Acme Corp")).request().id();

        List<Check> checks = all(SUBMITTERS, SUBMITTERS,
                submitter -> instance(submitter).verification().verify(id, ALICE, DEFAULT_CODE));

        assertThat(checks).filteredOn(Check.Approved.class::isInstance).hasSize(1);
        assertThat(checks).noneMatch(Check.Locked.class::isInstance);
        assertThat(harness.status(id)).isEqualTo(RequestStatus.APPROVED);
        assertThat(harness.auditTypes(id)).doesNotContain("request.locked");
    }

    @Test
    void simultaneousWrongGuessesNeverExceedTheAttemptBudget() throws Exception {
        harness.enroll(ALICE, ALICE_PHONE);
        String id = harness.openAndSend(ALICE, payment("2500", "Acme Corp")).request().id();

        List<Check> checks = all(SUBMITTERS, SUBMITTERS, submitter -> instance(submitter)
                .verification().verify(id, ALICE, "9000" + String.format("%02d", submitter)));

        assertThat(harness.signalWire.verifies()).hasSize(3);
        assertThat(checks).filteredOn(Check.Locked.class::isInstance).hasSize(1);
        assertThat(harness.status(id)).isEqualTo(RequestStatus.LOCKED);
        assertThat(harness.auditTypes(id)).containsOnlyOnce("request.locked");
        if (engine == StorageEngine.SQLITE) {
            // One instance checks one code of a request at a time: the first two hear "wrong".
            assertThat(checks).filteredOn(Check.WrongCode.class::isInstance).hasSize(2);
        } else {
            // Three instances check side by side: a wrong code whose answer comes after the
            // third attempt was taken is answered with the lock (or "already decided"), never
            // with an attempt that is no longer there. One that finds the attempts taken while
            // another check is still out hears that it is being checked (that one may be right).
            assertThat(checks).filteredOn(Check.WrongCode.class::isInstance).hasSizeLessThan(3)
                    .allSatisfy(wrong -> assertThat(((Check.WrongCode) wrong).attemptsLeft())
                            .isBetween(1, 2));
            assertThat(checks).allMatch(check -> check instanceof Check.WrongCode
                    || check instanceof Check.Locked || check instanceof Check.AlreadyDecided
                    || check instanceof Check.NotReady);
        }
    }

    @Test
    void pressingResendManyTimesAtOnceSendsOneNewCode() throws Exception {
        harness.enroll(ALICE, ALICE_PHONE);
        String id = harness.openAndSend(ALICE, payment("2500", "Acme Corp")).request().id();
        harness.clock.advance(Duration.ofSeconds(31));

        List<Delivery> resends = all(SUBMITTERS, SUBMITTERS, press ->
                instance(press).delivery().resend(id, ALICE, DeliveryChannel.SMS));

        assertThat(resends).filteredOn(Delivery.Sent.class::isInstance).hasSize(1);
        assertThat(resends).filteredOn(Delivery.Refused.class::isInstance).hasSize(SUBMITTERS - 1);
        assertThat(harness.signalWire.starts()).hasSize(2);
        assertThat(harness.challenges(id)).filteredOn(code -> code.state() == ChallengeState.SENT)
                .hasSize(1);
    }

    @Test
    void sendingTheSameCodeManyTimesAtOnceTextsThePersonOnce() throws Exception {
        harness.enroll(ALICE, ALICE_PHONE);
        Opening.Ready opened = (Opening.Ready) harness.open(ALICE, payment("2500", "Acme Corp"));

        List<Delivery> sends = all(8, 8, attempt -> instance(attempt).delivery()
                .send(opened.challenge().id()));

        assertThat(harness.signalWire.starts()).hasSize(1);
        assertThat(sends).filteredOn(Delivery.Sent.class::isInstance).hasSize(1);
        assertThat(sends).filteredOn(delivery -> !(delivery instanceof Delivery.Sent))
                .allMatch(other -> other instanceof Delivery.Refused
                        || other instanceof Delivery.Ended);
        assertThat(harness.status(opened.request().id())).isEqualTo(RequestStatus.AWAITING_CODE);
    }

    @Test
    void simultaneousRequestsOnEveryInstanceNeverSendMoreCodesThanTheHourlyLimit()
            throws Exception {
        harness.policy(policy -> policy.maxCodesPerUserPerHour(3));
        instances.clear();
        harness.enroll(ALICE, ALICE_PHONE);

        List<Opening> openings = all(SUBMITTERS, SUBMITTERS, submitter -> instance(submitter)
                .opening().requestApproval(ALICE, payment(100 + submitter + ".00",
                        "Payee " + submitter), ApprovalsHarness.REPLY));

        assertThat(openings).filteredOn(Opening.Ready.class::isInstance).hasSize(3);
        assertThat(openings).filteredOn(Opening.Refused.class::isInstance)
                .hasSize(SUBMITTERS - 3);
        assertThat(harness.auditChainProblems()).isEmpty();
    }

    @Test
    void manyPeopleApprovingAtOnceAllEndApprovedWithAnIntactAuditTrail() throws Exception {
        int people = 50;
        harness.signalWire.lenient(true);
        List<Actor> actors = new ArrayList<>();
        for (int i = 0; i < people; i++) {
            Actor person = new Actor(TEAM, String.format("U%04d", i));
            actors.add(person);
            harness.enroll(person, String.format("+1201555%04d", 1000 + i));
        }

        List<String> ids = all(people, 8, i -> {
            Actor person = actors.get(i);
            Opening opening = harness.open(person, payment(100 + i + ".00", "Payee " + i));
            String id = ((Opening.Ready) opening).request().id();
            harness.send(((Opening.Ready) opening).challenge());
            Check check = instance(i + 1).verification().verify(id, person, DEFAULT_CODE);
            assertThat(check).isInstanceOf(Check.Approved.class);
            return id;
        });

        assertThat(ids).doesNotHaveDuplicates().hasSize(people);
        assertThat(ids).allSatisfy(id -> {
            assertThat(harness.status(id)).isEqualTo(RequestStatus.APPROVED);
            assertThat(harness.auditTypes(id))
                    .containsExactly("request.created", "code.sent", "code.attempt",
                            "request.approved");
        });
        List<AuditRecord> audit = harness.wholeAudit();
        assertThat(audit).hasSize(people /* enrollments */ + people * 4);
        assertThat(harness.auditChainProblems()).isEmpty();
        assertThat(harness.signalWire.starts()).hasSize(people);
    }

    /**
     * Runs {@code task} for 0..count-1 on {@code threads} threads, all released together by one
     * start gate, and returns the results in task order.
     */
    private <T> List<T> all(int count, int threads, Function<Integer, T> task) throws Exception {
        pool = Executors.newFixedThreadPool(threads);
        CountDownLatch ready = new CountDownLatch(Math.min(count, threads));
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            Callable<T> call = () -> {
                ready.countDown();
                gate.await();
                return task.apply(index);
            };
            futures.add(pool.submit(call));
        }
        assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
        gate.countDown();
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get(30, TimeUnit.SECONDS));
        }
        return results;
    }
}
