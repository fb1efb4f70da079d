package dev.countersign.otp.console;

import dev.countersign.otp.CodeRequest;
import dev.countersign.otp.OneTimeCodes;
import dev.countersign.people.PhoneNumber;
import dev.countersign.otp.StartResult;
import dev.countersign.otp.VerifyResult;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local-trial provider ({@code OTP_PROVIDER=console}): codes are made here and handed to a
 * {@link CodeSink}, by default the log, so the app can be tried without SignalWire. It keeps the
 * same rules as SignalWire (expiry, attempt budget, one use) so the rest of the app behaves alike.
 */
public final class ConsoleCodes implements OneTimeCodes {

    private static final Logger log = LoggerFactory.getLogger(ConsoleCodes.class);

    private final Clock clock;
    private final CodeSink sink;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, ConsoleChallenge> challenges = new ConcurrentHashMap<>();

    public ConsoleCodes(Clock clock, CodeSink sink) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Prints every code to the log at WARN, loudly marked as a local trial. */
    public ConsoleCodes(Clock clock) {
        this(clock, (maskedPhone, channel, message, code) -> log.warn(
                "[console OTP] {} code for {}: {} (local trial only; nothing was sent)",
                channel.label(), maskedPhone, code));
    }

    @Override
    public StartResult start(CodeRequest request) {
        Objects.requireNonNull(request, "request");
        Instant now = clock.instant();
        dropExpired(now);
        String code = newCode();
        String id = UUID.randomUUID().toString();
        ConsoleChallenge challenge = ConsoleChallenge.create(code, now.plus(request.validFor()),
                request.maxAttempts(), random);
        challenges.put(id, challenge);
        try {
            sink.deliver(PhoneNumber.mask(request.to()), request.channel(), request.message(), code);
        } catch (RuntimeException failure) {
            challenges.remove(id);
            throw failure;
        }
        return new StartResult.Started(id, request.channel());
    }

    @Override
    public VerifyResult verify(String challengeId, String code) {
        Objects.requireNonNull(challengeId, "challengeId");
        Objects.requireNonNull(code, "code");
        ConsoleChallenge challenge = challenges.get(challengeId);
        if (challenge == null) {
            return new VerifyResult.Gone();
        }
        ConsoleChallenge.Outcome outcome = challenge.attempt(code, clock.instant());
        if (outcome.endsChallenge()) {
            // remove(key, value): never drop a newer challenge that happens to share the id.
            challenges.remove(challengeId, challenge);
        }
        return switch (outcome) {
            case CORRECT -> new VerifyResult.Correct();
            case WRONG, WRONG_LAST -> new VerifyResult.Wrong();
            case GONE -> new VerifyResult.Gone();
        };
    }

    @Override
    public String name() {
        return "console";
    }

    /** Open challenges, for tests that look at what is kept. */
    Collection<ConsoleChallenge> openChallenges() {
        return List.copyOf(challenges.values());
    }

    private String newCode() {
        StringBuilder code = new StringBuilder(CodeRequest.CODE_LENGTH);
        for (int i = 0; i < CodeRequest.CODE_LENGTH; i++) {
            code.append((char) ('0' + random.nextInt(10)));
        }
        return code.toString();
    }

    /** Each start sweeps, so the map holds at most the codes of the last 600 s. */
    private void dropExpired(Instant now) {
        challenges.values().removeIf(challenge -> challenge.expiredAt(now));
    }
}
