package dev.countersign.otp;

/**
 * The port to whatever sends one-time codes and checks them: SignalWire's MFA API in production,
 * {@code console} for local trials. Implementations never log or keep a code in clear text.
 *
 * <p>Every expected outcome is a value ({@link StartResult}, {@link VerifyResult}); only
 * programming
 * errors throw. Calls block: callers run them off Slack's acknowledgement path.
 */
public interface OneTimeCodes {

    /** Sends a new code. Never retried by the implementation: a retry could text the user twice. */
    StartResult start(CodeRequest request);

    /** Checks {@code code} against the challenge the provider knows as {@code challengeId}. */
    VerifyResult verify(String challengeId, String code);

    /** A short name for logs and the start-up banner, e.g. {@code signalwire}. */
    String name();

    /**
     * Whether the calls in flight nearly fill what this client lets through at once. A call
     * beyond that waits for a slot and may time out, a code never sent: while this holds, new
     * requests are turned away as busy rather than admitted to fail.
     */
    default boolean nearCapacity() {
        return false;
    }
}
