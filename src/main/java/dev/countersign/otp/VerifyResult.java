package dev.countersign.otp;

/** What the provider said about a code. */
public sealed interface VerifyResult {

    /** The code is right. The challenge is used up. */
    record Correct() implements VerifyResult {
    }

    /** The code is wrong; the provider still has attempts left for this challenge. */
    record Wrong() implements VerifyResult {
    }

    /**
     * The provider no longer knows the challenge: unknown id, already verified, out of attempts or
     * expired (SignalWire answers 404 for all four).
     */
    record Gone() implements VerifyResult {
    }

    /** The check could not be made; the code was not judged and must not count as an attempt. */
    record Failed(ProviderFailure failure) implements VerifyResult {
    }
}
