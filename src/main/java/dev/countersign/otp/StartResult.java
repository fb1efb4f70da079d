package dev.countersign.otp;

/** What became of a request to send a code. */
public sealed interface StartResult {

    /** The provider accepted the request (queued, not necessarily delivered yet). */
    record Started(String challengeId, DeliveryChannel channel) implements StartResult {
    }

    /** Nothing was (knowingly) sent. */
    record Failed(ProviderFailure failure) implements StartResult {
    }
}
