package dev.countersign.otp.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.countersign.otp.CodeRequest;
import dev.countersign.otp.DeliveryChannel;
import dev.countersign.otp.StartResult;
import dev.countersign.otp.VerifyResult;
import dev.countersign.testing.MutableClock;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ConsoleCodesTest {

    private static final String PHONE = "+12015550123";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T09:00:00Z"));
    private final List<Delivery> deliveries = Collections.synchronizedList(new ArrayList<>());
    private final ConsoleCodes codes = new ConsoleCodes(clock,
            (maskedPhone, channel, message, code) ->
                    deliveries.add(new Delivery(maskedPhone, channel, message, code)));
    private ExecutorService pool;

    private record Delivery(String maskedPhone, DeliveryChannel channel, String message,
                            String code) {
    }

    @AfterEach
    void stopPool() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    @Test
    void startHandsTheSinkASixDigitCodeAndOnlyTheMaskedPhone() {
        StartResult result = codes.start(request(DeliveryChannel.CALL, Duration.ofMinutes(5), 3));

        assertThat(result).isInstanceOfSatisfying(StartResult.Started.class, started -> {
            assertThat(started.channel()).isEqualTo(DeliveryChannel.CALL);
            assertThat(started.challengeId()).hasSize(36);
        });
        assertThat(deliveries).singleElement().satisfies(delivery -> {
            assertThat(delivery.maskedPhone()).isEqualTo("•••• 0123");
            assertThat(delivery.channel()).isEqualTo(DeliveryChannel.CALL);
            assertThat(delivery.message()).isEqualTo("Approve 2,500.00 USD to Acme Corp");
            assertThat(delivery.code()).matches("[0-9]{6}");
        });
    }

    @Test
    void rightCodeIsCorrectOnceAndGoneAfterwards() {
        String id = startSms(Duration.ofMinutes(5), 3);
        String code = lastCode();

        assertThat(codes.verify(id, code)).isEqualTo(new VerifyResult.Correct());
        assertThat(codes.verify(id, code)).isEqualTo(new VerifyResult.Gone());
        assertThat(codes.openChallenges()).isEmpty();
    }

    @Test
    void wrongCodeIsWrongAndCountsAnAttempt() {
        String id = startSms(Duration.ofMinutes(5), 3);
        String code = lastCode();

        assertThat(codes.verify(id, otherThan(code))).isEqualTo(new VerifyResult.Wrong());

        assertThat(codes.openChallenges()).singleElement()
                .satisfies(challenge -> assertThat(challenge.attemptsUsed()).isEqualTo(1));
        assertThat(codes.verify(id, code)).isEqualTo(new VerifyResult.Correct());
    }

    @Test
    void challengeLocksWhenWrongAttemptsReachTheMaximum() {
        String id = startSms(Duration.ofMinutes(5), 3);
        String code = lastCode();
        String wrong = otherThan(code);

        assertThat(codes.verify(id, wrong)).isEqualTo(new VerifyResult.Wrong());
        assertThat(codes.verify(id, wrong)).isEqualTo(new VerifyResult.Wrong());
        assertThat(codes.verify(id, wrong)).isEqualTo(new VerifyResult.Wrong());

        assertThat(codes.openChallenges()).isEmpty();
        assertThat(codes.verify(id, code)).isEqualTo(new VerifyResult.Gone());
    }

    @Test
    void codeIsGoneOnceItsLifetimeHasPassed() {
        String id = startSms(Duration.ofSeconds(300), 3);
        String code = lastCode();

        clock.advance(Duration.ofSeconds(300));

        assertThat(codes.verify(id, code)).isEqualTo(new VerifyResult.Gone());
    }

    @Test
    void codeStillWorksAMomentBeforeItExpires() {
        String id = startSms(Duration.ofSeconds(300), 3);
        String code = lastCode();

        clock.advance(Duration.ofSeconds(299));

        assertThat(codes.verify(id, code)).isEqualTo(new VerifyResult.Correct());
    }

    @Test
    void unknownChallengeIsGone() {
        assertThat(codes.verify("no-such-challenge", "123456")).isEqualTo(new VerifyResult.Gone());
    }

    @Test
    void oneChallengesCodeDoesNotOpenAnother() {
        String first = startSms(Duration.ofMinutes(5), 3);
        String firstCode = lastCode();
        String second = startSms(Duration.ofMinutes(5), 3);
        assumeFalse(firstCode.equals(lastCode()), "two equal random codes (one in a million)");

        assertThat(codes.verify(second, firstCode)).isEqualTo(new VerifyResult.Wrong());
        assertThat(codes.verify(first, firstCode)).isEqualTo(new VerifyResult.Correct());
    }

    @Test
    void expiredChallengesAreDroppedWhenTheNextCodeStarts() {
        for (int i = 0; i < 5; i++) {
            startSms(Duration.ofSeconds(60), 3);
        }
        String kept = startSms(Duration.ofSeconds(600), 3);
        assertThat(codes.openChallenges()).hasSize(6);

        clock.advance(Duration.ofSeconds(61));
        startSms(Duration.ofSeconds(600), 3);

        assertThat(codes.openChallenges()).hasSize(2);
        assertThat(codes.verify(kept, deliveries.get(5).code()))
                .isEqualTo(new VerifyResult.Correct());
    }

    @Test
    void exactlyOneOfManySimultaneousRightAnswersIsCorrect() throws Exception {
        int threads = 32;
        pool = Executors.newFixedThreadPool(threads);
        for (int round = 0; round < 20; round++) {
            String id = startSms(Duration.ofMinutes(5), 3);
            String code = lastCode();
            CountDownLatch gate = new CountDownLatch(1);
            List<Future<VerifyResult>> answers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                answers.add(pool.submit(() -> {
                    gate.await();
                    return codes.verify(id, code);
                }));
            }
            gate.countDown();

            List<VerifyResult> results = new ArrayList<>();
            for (Future<VerifyResult> answer : answers) {
                results.add(answer.get(10, TimeUnit.SECONDS));
            }
            assertThat(results).filteredOn(VerifyResult.Correct.class::isInstance).hasSize(1);
            assertThat(results).filteredOn(VerifyResult.Gone.class::isInstance)
                    .hasSize(threads - 1);
        }
    }

    @Test
    void storedStateNeverHoldsTheClearCode() throws Exception {
        for (int i = 0; i < 10; i++) {
            startSms(Duration.ofMinutes(5), 3);
        }
        List<String> issued = deliveries.stream().map(Delivery::code).toList();

        for (ConsoleChallenge challenge : codes.openChallenges()) {
            List<Object> values = fieldValues(challenge);
            // The check must have something to look at: a salt and a hash as bytes.
            assertThat(values).filteredOn(byte[].class::isInstance).hasSize(2);
            for (String code : issued) {
                assertThat(challenge.toString()).doesNotContain(code);
                for (Object value : values) {
                    assertThat(holdsCode(value, code)).as("a field holds %s", code).isFalse();
                }
            }
        }
    }

    @Test
    void defaultSinkLogsTheCodeWithTheMaskedPhoneAndAWarning() {
        Logger logger = (Logger) LoggerFactory.getLogger(ConsoleCodes.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            new ConsoleCodes(clock).start(request(DeliveryChannel.SMS, Duration.ofMinutes(5), 3));
        } finally {
            logger.detachAppender(appender);
        }

        assertThat(appender.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel().toString()).isEqualTo("WARN");
            assertThat(event.getFormattedMessage())
                    .startsWith("[console OTP] SMS code for •••• 0123: ")
                    .containsPattern(": [0-9]{6} \\(local trial only; nothing was sent\\)$")
                    .doesNotContain("2015550123");
        });
    }

    @Test
    void nameIsConsole() {
        assertThat(codes.name()).isEqualTo("console");
    }

    private String startSms(Duration validFor, int maxAttempts) {
        StartResult result = codes.start(request(DeliveryChannel.SMS, validFor, maxAttempts));
        assertThat(result).isInstanceOf(StartResult.Started.class);
        return ((StartResult.Started) result).challengeId();
    }

    private static CodeRequest request(DeliveryChannel channel, Duration validFor,
                                       int maxAttempts) {
        return new CodeRequest(PHONE, channel, "Approve 2,500.00 USD to Acme Corp", validFor,
                maxAttempts);
    }

    private String lastCode() {
        return deliveries.get(deliveries.size() - 1).code();
    }

    private static String otherThan(String code) {
        return code.equals("000000") ? "111111" : "000000";
    }

    private static List<Object> fieldValues(Object target) throws IllegalAccessException {
        List<Object> values = new ArrayList<>();
        for (Field field : target.getClass().getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                field.setAccessible(true);
                values.add(field.get(target));
            }
        }
        return values;
    }

    /** The code as text, as characters, as ASCII or UTF-8 bytes anywhere inside, or as a number. */
    private static boolean holdsCode(Object value, String code) {
        if (value instanceof byte[] bytes) {
            return Collections.indexOfSubList(boxed(bytes),
                    boxed(code.getBytes(StandardCharsets.UTF_8))) >= 0;
        }
        if (value instanceof char[] chars) {
            return new String(chars).contains(code);
        }
        if (value instanceof Number number) {
            // A code with leading zeros cannot be told from a small counter; the rest can.
            return !code.startsWith("0") && number.longValue() == Long.parseLong(code);
        }
        return value != null && String.valueOf(value).contains(code);
    }

    private static List<Byte> boxed(byte[] bytes) {
        List<Byte> list = new ArrayList<>(bytes.length);
        for (byte b : bytes) {
            list.add(b);
        }
        return list;
    }
}
