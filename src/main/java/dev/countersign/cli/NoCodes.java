package dev.countersign.cli;

import dev.countersign.otp.CodeRequest;
import dev.countersign.otp.OneTimeCodes;
import dev.countersign.otp.ProviderFailure;
import dev.countersign.otp.StartResult;
import dev.countersign.otp.VerifyResult;

/**
 * The tools' stand-in for a code provider. {@code ApprovalServices} needs one, but the
 * operator's paths (enroll directly, reset) never send or check a code; if one ever did, it fails
 * plainly instead
 * of needing SignalWire credentials on an operator's machine.
 */
final class NoCodes implements OneTimeCodes {

    private static final ProviderFailure NOT_HERE = ProviderFailure.of(
            ProviderFailure.Kind.BAD_REPLY, "not available from the command line");

    @Override
    public StartResult start(CodeRequest request) {
        return new StartResult.Failed(NOT_HERE);
    }

    @Override
    public VerifyResult verify(String challengeId, String code) {
        return new VerifyResult.Failed(NOT_HERE);
    }

    @Override
    public String name() {
        return "none";
    }
}
